package io.siyu.compliance.internal;

import static io.siyu.compliance.internal.AesGcmPiiCipherTest.INDEX;
import static io.siyu.compliance.internal.AesGcmPiiCipherTest.K1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyRingLoaderTest {

    private static final CryptoProperties NONE = new CryptoProperties(null, null, null);

    private final KeyRingLoader loader = new KeyRingLoader(new SecureRandom());

    @TempDir
    Path dataDir;

    @Test
    void generatesKeyFileOnFirstStartAndReusesItLater() {
        Path dir = dataDir.resolve("not-yet-created");
        KeyRing first = loader.load(NONE, dir);
        assertThat(dir.resolve(KeyRingLoader.FILE_NAME)).exists();

        KeyRing second = loader.load(NONE, dir);
        assertThat(second.activeKeyId()).isEqualTo(first.activeKeyId());
        assertThat(second.activeKey().getEncoded()).isEqualTo(first.activeKey().getEncoded());
        assertThat(second.indexKey().getEncoded()).isEqualTo(first.indexKey().getEncoded());

        AesGcmPiiCipher before = new AesGcmPiiCipher(first, new SecureRandom());
        AesGcmPiiCipher after = new AesGcmPiiCipher(second, new SecureRandom());
        assertThat(after.decrypt(before.encrypt("13812345678"))).isEqualTo("13812345678");
    }

    @Test
    void generatedFileIsReadableOnlyByItsOwner() throws IOException {
        assumeThat(dataDir.getFileSystem().supportedFileAttributeViews()).contains("posix");
        loader.load(NONE, dataDir);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir.resolve(KeyRingLoader.FILE_NAME))))
                .isEqualTo("rw-------");
    }

    @Test
    void generatedFileUsesTheConfigurationPropertyNames() throws IOException {
        loader.load(NONE, dataDir);
        String text = Files.readString(dataDir.resolve(KeyRingLoader.FILE_NAME));
        assertThat(text).contains("siyu.crypto.keys.local-").contains("siyu.crypto.active-key-id=local-")
                .contains("siyu.crypto.index-key=");
    }

    @Test
    void configuredKeysWinAndNoFileIsWritten() {
        KeyRing ring = loader.load(new CryptoProperties(Map.of("prod1", K1), "prod1", INDEX), dataDir);
        assertThat(ring.activeKeyId()).isEqualTo("prod1");
        assertThat(dataDir.resolve(KeyRingLoader.FILE_NAME)).doesNotExist();
    }

    @Test
    void partialConfigurationIsRefusedRatherThanIgnored() {
        assertThatThrownBy(() -> loader.load(new CryptoProperties(Map.of(), null, INDEX), dataDir))
                .isInstanceOf(KeyConfigurationException.class);
        assertThat(dataDir.resolve(KeyRingLoader.FILE_NAME)).doesNotExist();
    }

    @Test
    void malformedKeyFileStopsStartupNamingTheFile() throws IOException {
        Path file = dataDir.resolve(KeyRingLoader.FILE_NAME);
        Files.writeString(file, "siyu.crypto.keys.k1=tooshort\nsiyu.crypto.active-key-id=k1\nsiyu.crypto.index-key=" + INDEX + "\n");
        assertThatThrownBy(() -> loader.load(NONE, dataDir))
                .isInstanceOf(KeyConfigurationException.class)
                .hasMessageContaining("siyu.crypto.keys.k1")
                .hasMessageContaining(file.toString());
    }
}
