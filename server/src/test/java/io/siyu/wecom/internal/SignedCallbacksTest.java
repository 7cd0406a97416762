package io.siyu.wecom.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.siyu.platform.SiyuException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import me.chanjar.weixin.common.util.crypto.SHA1;
import me.chanjar.weixin.common.util.crypto.WxCryptUtil;
import org.junit.jupiter.api.Test;

/** The callback crypto against WxJava's independent implementation of the same scheme, and against crafted input. */
class SignedCallbacksTest {

    private static final String TOKEN = "QDG6eK";
    private static final String KEY = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C";
    private static final String CORP = "wx5823bf96d3bd56c7";

    private final SignedCallbacks callbacks = new SignedCallbacks(TOKEN, KEY, CORP);
    private final WxCryptUtil wecom = new WxCryptUtil(TOKEN, KEY, CORP);

    private static SiyuException refusal(Runnable r) {
        try {
            r.run();
        } catch (SiyuException e) {
            return e;
        }
        throw new AssertionError("not refused");
    }

    @Test
    void opensWhatWeComSealsAndSignsTheSameWay() {
        for (String text : new String[] {"", "x", "echo-12345", "<xml><Event>change_external_chat</Event></xml>",
                "宝妈交流群".repeat(40), "a".repeat(31), "a".repeat(32), "a".repeat(33)}) {
            WxCryptUtil.EncryptContext c = wecom.encryptContext(text);
            assertThat(callbacks.signature(c.getTimeStamp(), c.getNonce(), c.getEncrypt()))
                    .isEqualTo(SHA1.gen(TOKEN, c.getTimeStamp(), c.getNonce(), c.getEncrypt()));
            if (!text.isEmpty()) {
                assertThat(callbacks.open(c.getSignature(), c.getTimeStamp(), c.getNonce(), c.getEncrypt())).isEqualTo(text);
            }
        }
    }

    @Test
    void refusesWrongSignaturesReceiversAndCraftedPlaintexts() {
        WxCryptUtil.EncryptContext c = wecom.encryptContext("hello");
        assertThat(refusal(() -> callbacks.open("0".repeat(40), c.getTimeStamp(), c.getNonce(), c.getEncrypt())).code())
                .isEqualTo("callback-signature-invalid");
        assertThat(refusal(() -> callbacks.open(c.getSignature(), c.getTimeStamp() + "1", c.getNonce(), c.getEncrypt()))
                .code()).isEqualTo("callback-signature-invalid");
        // sealed for another corp with the same key
        WxCryptUtil.EncryptContext other = new WxCryptUtil(TOKEN, KEY, "wwAnotherCorp").encryptContext("hello");
        assertThat(refusal(() -> callbacks.open(other.getSignature(), other.getTimeStamp(), other.getNonce(),
                other.getEncrypt())).code()).isEqualTo("callback-undecryptable");
        // a length field far beyond the plaintext is refused, not allocated
        String huge = seal(ByteBuffer.allocate(4).putInt(Integer.MAX_VALUE).array(), "x", 5);
        assertThat(refusal(() -> callbacks.open(callbacks.signature("1", "n", huge), "1", "n", huge)).code())
                .isEqualTo("callback-undecryptable");
        // padding that is not PKCS#7 up to 32
        String badPad = seal(ByteBuffer.allocate(4).putInt(1).array(), "x", 0);
        assertThat(refusal(() -> callbacks.open(callbacks.signature("1", "n", badPad), "1", "n", badPad)).code())
                .isEqualTo("callback-undecryptable");
        String notBase64 = "%%%";
        assertThat(refusal(() -> callbacks.open(callbacks.signature("1", "n", notBase64), "1", "n", notBase64)).code())
                .isEqualTo("callback-undecryptable");
        assertThatThrownBy(() -> callbacks.open(null, "1", "n", "x")).isInstanceOf(SiyuException.class);
    }

    @Test
    void readsTheTopLevelFieldsAndRefusesDoctypes() {
        assertThat(SignedCallbacks.fields("<xml><A><![CDATA[ a ]]></A><B>2</B></xml>")).containsEntry("A", "a")
                .containsEntry("B", "2");
        assertThat(refusal(() -> SignedCallbacks.fields("<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>"
                + "<xml><A>&e;</A></xml>")).code()).isEqualTo("callback-malformed");
        assertThat(refusal(() -> SignedCallbacks.fields("not xml")).code()).isEqualTo("callback-malformed");
    }

    /** AES-256-CBC over 16 zero bytes, the given length field, the text and the corp id, with {@code pad} padding bytes of value {@code pad}. */
    private static String seal(byte[] lengthField, String text, int pad) {
        try {
            byte[] raw = Base64.getDecoder().decode(KEY + "=");
            byte[] body = (text + CORP).getBytes(StandardCharsets.UTF_8);
            int size = 20 + body.length + pad;
            int padded = (size + 31) / 32 * 32;
            byte[] plain = new byte[padded];
            System.arraycopy(lengthField, 0, plain, 16, 4);
            System.arraycopy(body, 0, plain, 20, body.length);
            Arrays.fill(plain, 20 + body.length, padded, (byte) (pad == 0 ? 0 : padded - 20 - body.length));
            Cipher aes = Cipher.getInstance("AES/CBC/NoPadding");
            aes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(raw, "AES"), new IvParameterSpec(Arrays.copyOf(raw, 16)));
            return Base64.getEncoder().encodeToString(aes.doFinal(plain));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
