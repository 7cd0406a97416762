package io.siyu.compliance.internal;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the PII keys: from configuration when any {@code siyu.crypto.*} key setting is given,
 * otherwise from {@code keys.properties} in the data directory, which is generated on the first
 * start. The generated file keeps a trial installation working out of the box; production should
 * supply the keys from its secret store, since whoever loses the file loses the data.
 */
final class KeyRingLoader {

    static final String FILE_NAME = "keys.properties";

    private static final Logger log = LoggerFactory.getLogger(KeyRingLoader.class);

    private final SecureRandom random;

    KeyRingLoader(SecureRandom random) {
        this.random = random;
    }

    KeyRing load(CryptoProperties configured, Path dataDir) {
        if (!configured.isEmpty()) {
            KeyRing ring = KeyRing.parse(configured.keys(), configured.activeKeyId(), configured.indexKey(),
                    "the configuration");
            log.info("PII encryption keys {} from the configuration; active key: {}", ring.keys().keySet(),
                    ring.activeKeyId());
            return ring;
        }
        Path file = dataDir.resolve(FILE_NAME).toAbsolutePath();
        if (Files.exists(file)) {
            KeyRing ring = read(file);
            warnIfReadableByOthers(file);
            log.warn("PII encryption keys are read from the locally generated file {}; keep a backup of it, and "
                    + "in production supply siyu.crypto.* from your secret store instead", file);
            return ring;
        }
        return generate(file);
    }

    private KeyRing generate(Path file) {
        Map<String, String> props = KeyRing.generate(random);
        try {
            Files.createDirectories(file.getParent());
            write(file, props);
        } catch (FileAlreadyExistsException raced) {
            // another process created it between our check and our write: its keys win
            return read(file);
        } catch (IOException e) {
            throw new KeyConfigurationException("could not write the generated PII keys to " + file
                    + ": " + e.getMessage() + "; make the data directory writable or configure siyu.crypto.*", e);
        }
        KeyRing ring = KeyRing.fromProperties(props, file.toString());
        log.warn("""

                ==================================================================================
                  Siyu: no PII encryption keys were configured, so new keys were GENERATED into
                    {}
                  Personal data is encrypted with them: if this file is lost, the data cannot be
                  read again. Back it up now. In production, supply the keys by configuration
                  instead (siyu.crypto.keys.<id>, siyu.crypto.active-key-id, siyu.crypto.index-key;
                  the file holds them in that form).
                ==================================================================================""",
                file);
        return ring;
    }

    private static void write(Path file, Map<String, String> props) throws IOException {
        Set<String> views = file.getFileSystem().supportedFileAttributeViews();
        FileAttribute<?>[] attrs = views.contains("posix")
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))}
                : new FileAttribute<?>[0];
        // created (not replaced) in one step, with its final permissions, so the keys are never world-readable
        Files.createFile(file, attrs);
        StringWriter text = new StringWriter();
        text.write("# Siyu PII encryption keys, generated " + Instant.now() + ".\n");
        text.write("# Back this file up: data encrypted with these keys cannot be read without it.\n");
        text.write("# To rotate, add siyu.crypto.keys.<newId>=<base64 of 32 random bytes> and make it active;\n");
        text.write("# never remove a key while stored values still use it.\n");
        props.forEach((name, val) -> text.write(name + "=" + val + "\n"));
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            out.write(text.toString());
        }
    }

    private static KeyRing read(Path file) {
        Properties props = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            props.load(in);
        } catch (IOException e) {
            throw new KeyConfigurationException("could not read the PII key file " + file + ": " + e.getMessage(), e);
        }
        Map<String, String> values = new LinkedHashMap<>();
        props.stringPropertyNames().forEach(name -> values.put(name, props.getProperty(name)));
        return KeyRing.fromProperties(values, file.toString());
    }

    private static void warnIfReadableByOthers(Path file) {
        try {
            if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
                perms.retainAll(Set.of(PosixFilePermission.GROUP_READ, PosixFilePermission.OTHERS_READ));
                if (!perms.isEmpty()) {
                    log.warn("The PII key file {} is readable by other users; restrict it with chmod 600", file);
                }
            }
        } catch (IOException e) {
            log.debug("Could not check the permissions of {}", file, e);
        }
    }
}
