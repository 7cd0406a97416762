package io.siyu.bench;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code --name value} command-line options with defaults; unknown names are an error. */
final class Options {

    private final Map<String, String> values = new HashMap<>();

    Options(List<String> args, Map<String, String> defaults, Set<String> flags) {
        values.putAll(defaults);
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (!arg.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument: " + arg);
            }
            String name = arg.substring(2);
            String value = null;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            if (flags.contains(name)) {
                values.put(name, value == null ? "true" : value);
                continue;
            }
            if (!defaults.containsKey(name)) {
                throw new IllegalArgumentException("unknown option --" + name + " (known: " + defaults.keySet() + " " + flags + ")");
            }
            if (value == null) {
                if (i + 1 >= args.size()) {
                    throw new IllegalArgumentException("--" + name + " needs a value");
                }
                value = args.get(++i);
            }
            values.put(name, value);
        }
    }

    String string(String name) {
        return values.get(name);
    }

    long number(String name) {
        return Long.parseLong(values.get(name).replace("_", "").replace(",", ""));
    }

    double decimal(String name) {
        return Double.parseDouble(values.get(name));
    }

    boolean flag(String name) {
        return Boolean.parseBoolean(values.getOrDefault(name, "false"));
    }

    List<Integer> integers(String name) {
        return java.util.Arrays.stream(values.get(name).split(",")).map(String::trim).map(Integer::parseInt).toList();
    }
}
