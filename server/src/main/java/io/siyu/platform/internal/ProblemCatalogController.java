package io.siyu.platform.internal;

import io.siyu.platform.ProblemRenderer;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The list of problem codes that problem documents point at with {@code type}: each code with its
 * title in the request's language. Built from the message bundles, so it cannot drift from them.
 */
@RestController
class ProblemCatalogController {

    private final ProblemRenderer renderer;
    private final List<String> codes;

    ProblemCatalogController(ProblemRenderer renderer) throws IOException {
        this.renderer = renderer;
        this.codes = loadCodes();
    }

    private static List<String> loadCodes() throws IOException {
        TreeSet<String> codes = new TreeSet<>();
        Resource[] bundles = new PathMatchingResourcePatternResolver().getResources("classpath*:i18n/*.properties");
        for (Resource bundle : bundles) {
            Properties props = new Properties();
            try (InputStream in = bundle.getInputStream()) {
                props.load(new InputStreamReader(in, StandardCharsets.UTF_8));
            }
            for (String key : props.stringPropertyNames()) {
                if (key.startsWith("problem.") && key.endsWith(".title")) {
                    codes.add(key.substring("problem.".length(), key.length() - ".title".length()));
                }
            }
        }
        return List.copyOf(codes);
    }

    @GetMapping(path = "/docs/problems", produces = "application/json")
    List<Map<String, String>> problems(Locale locale) {
        List<Map<String, String>> out = new ArrayList<>();
        for (String code : codes) {
            out.add(Map.of("code", code, "type", "/docs/problems#" + code, "title", renderer.title(code, locale)));
        }
        return out;
    }
}
