package io.siyu.security.internal;

import io.siyu.platform.FieldProblem;
import io.siyu.platform.SiyuException;
import java.util.List;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Run-time security switches; for now whether HTTP Basic is accepted on the management API. */
@RestController
@RequestMapping("/api/v1/settings/security")
@PreAuthorize("hasAuthority('settings:admin')")
class SecuritySettingsController {

    private final SecuritySettings settings;

    SecuritySettingsController(SecuritySettings settings) {
        this.settings = settings;
    }

    record SecuritySettingsView(Boolean basicAuthEnabled) {
    }

    @GetMapping
    SecuritySettingsView get() {
        return new SecuritySettingsView(settings.basicAuthEnabled());
    }

    @PutMapping
    SecuritySettingsView put(@RequestBody SecuritySettingsView body) {
        if (body.basicAuthEnabled() == null) {
            throw SiyuException.invalid(List.of(FieldProblem.of("/basicAuthEnabled", "field-required",
                    "basicAuthEnabled")));
        }
        settings.setBasicAuthEnabled(body.basicAuthEnabled());
        return get();
    }
}
