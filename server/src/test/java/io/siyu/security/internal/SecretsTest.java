package io.siyu.security.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SecretsTest {

    @Test
    void generatedSecretsHaveTheKindPrefixAndFullEntropy() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            String token = Secrets.generate(Secrets.API_TOKEN);
            assertThat(token).startsWith("siyu_at_").hasSize("siyu_at_".length() + 43).matches("siyu_at_[A-Za-z0-9_-]+");
            assertThat(seen.add(token)).isTrue();
        }
        assertThat(Secrets.generate(Secrets.WRITE_KEY)).startsWith("siyu_wk_");
    }

    @Test
    void shapeCheckRejectsOtherKindsAndMalformedValues() {
        String token = Secrets.generate(Secrets.API_TOKEN);
        assertThat(Secrets.looksLike(Secrets.API_TOKEN, token)).isTrue();
        assertThat(Secrets.looksLike(Secrets.WRITE_KEY, token)).isFalse();
        assertThat(Secrets.looksLike(Secrets.API_TOKEN, token + "x")).isFalse();
        assertThat(Secrets.looksLike(Secrets.API_TOKEN, token.substring(0, token.length() - 1) + "!")).isFalse();
        assertThat(Secrets.looksLike(Secrets.API_TOKEN, "siyu_at_")).isFalse();
        assertThat(Secrets.looksLike(Secrets.API_TOKEN, null)).isFalse();
    }

    @Test
    void hashIsHexSha256AndPrefixRevealsOnlyAFewCharacters() {
        assertThat(Secrets.hash("abc")).isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        String key = Secrets.generate(Secrets.WRITE_KEY);
        assertThat(Secrets.displayPrefix(Secrets.WRITE_KEY, key)).isEqualTo(key.substring(0, 12));
        assertThat(Secrets.hash(key)).hasSize(64).doesNotContain(key.substring(8));
    }
}
