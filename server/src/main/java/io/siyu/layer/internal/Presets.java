package io.siyu.layer.internal;

import io.siyu.platform.SiyuException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The layering presets the product ships, from the source documents (domain.md): data files under
 * {@code layer-presets/}, each a policy document in the same form the API takes, so loading one is
 * creating a policy and every threshold stays editable.
 */
@Component
class Presets {

    static final List<String> IDS = List.of("seed-000", "seed-001", "seed-002");

    private final ObjectMapper json;
    private final PolicyStore store;

    Presets(ObjectMapper json, PolicyStore store) {
        this.json = json;
        this.store = store;
    }

    /** A preset in the list: what it is, its layers, and the policy it became when loaded. */
    record PresetView(String id, String title, String summary, List<String> layers, String policyId) {
    }

    List<PresetView> list(Locale locale) {
        Map<String, Long> loaded = store.presets();
        List<PresetView> out = new ArrayList<>();
        for (String id : IDS) {
            JsonNode file = file(id);
            String lang = locale.getLanguage().equals("en") ? "en" : "zh-CN";
            List<String> layers = new ArrayList<>();
            file.get("policy").get("layers").forEach(l -> layers.add(l.get("key").asString()));
            layers.add(file.get("policy").get("defaultLayer").get("key").asString());
            Long policy = loaded.get(id);
            out.add(new PresetView(id, file.get("title").get(lang).asString(), file.get("summary").get(lang).asString(),
                    layers, policy == null ? null : String.valueOf(policy)));
        }
        return out;
    }

    /** The policy document of a preset; 404 for an unknown one. */
    JsonNode document(String id) {
        if (!IDS.contains(id)) {
            throw SiyuException.notFound("layer-preset-not-found", id);
        }
        return file(id).get("policy");
    }

    private JsonNode file(String id) {
        try (InputStream in = Presets.class.getResourceAsStream("/layer-presets/" + id + ".json")) {
            return json.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
