package io.siyu.customer.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.siyu.compliance.PiiCipher;
import io.siyu.customer.IdentityInput;
import io.siyu.customer.IdentityType;
import io.siyu.platform.SiyuException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IdentityNormaliserTest {

    /** A reversible stand-in for the real cipher: these tests are about normalisation, not crypto. */
    private static final PiiCipher CIPHER = new PiiCipher() {
        @Override
        public String encrypt(String plaintext) {
            return "enc:" + plaintext;
        }

        @Override
        public String decrypt(String stored) {
            return stored.substring(4);
        }

        @Override
        public boolean needsRotation(String stored) {
            return false;
        }

        @Override
        public String blindIndex(String kind, String value) {
            return "bi:" + kind + ":" + value;
        }
    };

    private final IdentityTypes types = new IdentityTypes(new IdentitySettings("CN",
            List.of("null", "undefined", "anonymous", "0", "-1"),
            Map.of("phone", new IdentitySettings.TypeSettings(1, 90, true, false, IdentityType.Format.PHONE),
                    "email", new IdentitySettings.TypeSettings(0, 60, true, false, IdentityType.Format.EMAIL),
                    "wechat_openid", new IdentitySettings.TypeSettings(1, 60, false, true, IdentityType.Format.TEXT),
                    "anonymous_id", new IdentitySettings.TypeSettings(0, 10, false, false, IdentityType.Format.TEXT))));
    private final IdentityNormaliser normaliser = new IdentityNormaliser(types, CIPHER);

    private NormalisedIdentity one(String type, String value) {
        return normaliser.normaliseOne(IdentityInput.of(type, value), "/identities/0").orElseThrow();
    }

    @Test
    void phonesInAnySpellingBecomeE164WithChinaAsDefaultRegion() {
        assertThat(one("phone", "13800138000").value()).isEqualTo("+8613800138000");
        assertThat(one("phone", "138 0013 8000").value()).isEqualTo("+8613800138000");
        assertThat(one("phone", "+86-138-0013-8000").value()).isEqualTo("+8613800138000");
        assertThat(one("phone", "008613800138000").value()).isEqualTo("+8613800138000");
        assertThat(one("phone", "+852 6123 4567").value()).isEqualTo("+85261234567");
    }

    @Test
    void piiTypesAreLookedUpByBlindIndexOtherTypesByValue() {
        assertThat(one("phone", "13800138000").lookupKey()).isEqualTo("bi:phone:+8613800138000");
        assertThat(one("email", " Li.Lei@Example.COM ").lookupKey()).isEqualTo("bi:email:li.lei@example.com");
        assertThat(one("anonymous_id", " abc ").lookupKey()).isEqualTo("abc");
    }

    @Test
    void invalidPhonesAreRefusedWithTheirPointer() {
        for (String bad : List.of("12345", "1380013800", "abc", "+86 123")) {
            assertThatThrownBy(() -> one("phone", bad))
                    .isInstanceOfSatisfying(SiyuException.class, e -> {
                        assertThat(e.code()).isEqualTo("invalid-phone");
                        assertThat(e.errors().getFirst().pointer()).isEqualTo("/identities/0/value");
                    });
        }
    }

    @Test
    void junkValuesAreDroppedNotLinked() {
        for (String junk : List.of("", "  ", "null", "NULL", "undefined", "anonymous", "0", "-1", "0000000", "000-000")) {
            assertThat(normaliser.normaliseOne(IdentityInput.of("anonymous_id", junk), "/x")).as(junk).isEmpty();
        }
        var result = normaliser.normalise(List.of(IdentityInput.of("anonymous_id", "undefined"),
                IdentityInput.of("anonymous_id", "a1"), IdentityInput.of("anonymous_id", "a1")), "/identities");
        assertThat(result.identities()).hasSize(1);
        assertThat(result.ignored()).hasSize(1);
    }

    @Test
    void perAppTypesNeedAnAppIdAndOthersRefuseOne() {
        assertThatThrownBy(() -> one("wechat_openid", "o-1"))
                .isInstanceOfSatisfying(SiyuException.class, e -> assertThat(e.code()).isEqualTo("app-id-required"));
        assertThatThrownBy(() -> normaliser.normaliseOne(new IdentityInput("anonymous_id", "a", "wx1"), "/i"))
                .isInstanceOfSatisfying(SiyuException.class, e -> assertThat(e.code()).isEqualTo("app-id-not-allowed"));
        var openid = normaliser.normaliseOne(new IdentityInput("wechat_openid", "o-1", "wx1"), "/i").orElseThrow();
        assertThat(openid.limitScope()).isEqualTo("wechat_openid|wx1");
    }

    @Test
    void everyBadIdentityOfARequestIsReportedAtOnce() {
        assertThatThrownBy(() -> normaliser.normalise(List.of(IdentityInput.of("qq", "1"), IdentityInput.of("phone", "1"),
                IdentityInput.of("email", "not-an-address")), "/identities"))
                .isInstanceOfSatisfying(SiyuException.class, e -> assertThat(e.errors())
                        .extracting(f -> f.pointer() + " " + f.code())
                        .containsExactly("/identities/0/type unknown-identity-type", "/identities/1/value invalid-phone",
                                "/identities/2/value invalid-email"));
    }
}
