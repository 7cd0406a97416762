package io.siyu.platform;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.context.MessageSource;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.LocaleResolver;
import tools.jackson.databind.ObjectMapper;

/**
 * Turns a {@link SiyuException} into an RFC 9457 problem in the request's language. Used by the
 * MVC exception handler and by filters that answer before MVC (security, size limits).
 */
@Component
public class ProblemRenderer {

    public static final MediaType PROBLEM_JSON = MediaType.APPLICATION_PROBLEM_JSON;

    private final MessageSource messages;
    private final LocaleResolver localeResolver;
    private final ObjectMapper json;

    public ProblemRenderer(MessageSource messages, LocaleResolver localeResolver, ObjectMapper json) {
        this.messages = messages;
        this.localeResolver = localeResolver;
        this.json = json;
    }

    public ProblemDetail render(SiyuException e, Locale locale, String instance) {
        ProblemDetail problem = ProblemDetail.forStatus(e.status());
        problem.setType(URI.create("/docs/problems#" + e.code()));
        problem.setTitle(title(e.code(), locale));
        problem.setDetail(message(e.code(), e.args(), locale));
        problem.setInstance(URI.create(instance));
        problem.setProperty("code", e.code());
        problem.setProperty("requestId", RequestIds.current());
        if (!e.errors().isEmpty()) {
            List<Map<String, Object>> errors = new ArrayList<>();
            for (FieldProblem error : e.errors()) {
                Map<String, Object> item = new LinkedHashMap<>();
                item.put("pointer", error.pointer());
                item.put("code", error.code());
                item.put("message", message(error.code(), error.args(), locale));
                errors.add(item);
            }
            problem.setProperty("errors", errors);
        }
        e.properties().forEach(problem::setProperty);
        return problem;
    }

    public void write(HttpServletRequest request, HttpServletResponse response, SiyuException e) throws IOException {
        Locale locale = localeResolver.resolveLocale(request);
        ProblemDetail problem = render(e, locale, request.getRequestURI());
        response.setStatus(e.status().value());
        response.setContentType(PROBLEM_JSON.toString());
        response.setCharacterEncoding("UTF-8");
        if (e.properties().get("retryAfterSeconds") instanceof Number seconds) {
            response.setHeader("Retry-After", String.valueOf(seconds.longValue()));
        }
        json.writeValue(response.getOutputStream(), problem);
    }

    public String title(String code, Locale locale) {
        return messages.getMessage("problem." + code + ".title", null, code, locale);
    }

    public String message(String code, List<Object> args, Locale locale) {
        String fallback = messages.getMessage("problem." + code + ".title", null, code, locale);
        return messages.getMessage("problem." + code + ".detail", args.toArray(), fallback, locale);
    }

    public Locale currentLocale() {
        return LocaleContextHolder.getLocale();
    }
}
