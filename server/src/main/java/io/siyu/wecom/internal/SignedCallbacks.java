package io.siyu.wecom.internal;

import io.siyu.platform.SiyuException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import org.springframework.http.HttpStatus;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.InputSource;

/**
 * Tencent's callback format, shared by WeCom and official accounts: the body is XML whose
 * {@code Encrypt} element holds the message, AES-256-CBC encrypted with the EncodingAESKey (the IV
 * is the key's first 16 bytes; padding to 32 bytes); {@code msg_signature} is the SHA-1 of the
 * sorted token, timestamp, nonce and ciphertext. The plaintext is 16 random bytes, the message's
 * length (4 bytes, network order), the message and the receiver's id (corp id or app id).
 * <p>
 * Written here rather than taken from WxJava, whose decryption trusts the length field (a crafted
 * ciphertext makes it allocate gigabytes) and does not compare the receiver. A wrong signature is a
 * 403; a ciphertext that does not decrypt, or is for another receiver, a 400; nothing is handled then.
 */
final class SignedCallbacks {

    private final String token;
    private final SecretKeySpec key;
    private final IvParameterSpec iv;
    private final byte[] receiverId;

    /**
     * @param aesKey      the 43-character EncodingAESKey
     * @param receiverId  the corp id (WeCom) or app id (official account) the messages are for
     */
    SignedCallbacks(String token, String aesKey, String receiverId) {
        byte[] raw = Base64.getDecoder().decode(aesKey + "=");
        if (raw.length != 32) {
            throw new IllegalStateException("an EncodingAESKey is 43 characters of base64 (32 bytes)");
        }
        this.token = token;
        this.key = new SecretKeySpec(raw, "AES");
        this.iv = new IvParameterSpec(Arrays.copyOf(raw, 16));
        this.receiverId = receiverId.getBytes(StandardCharsets.UTF_8);
    }

    /** The decrypted text of a signed ciphertext (the URL check's {@code echostr}, or a message's {@code Encrypt}). */
    String open(String signature, String timestamp, String nonce, String ciphertext) {
        if (signature == null || timestamp == null || nonce == null || ciphertext == null || ciphertext.isEmpty()) {
            throw SiyuException.badRequest("callback-incomplete");
        }
        byte[] expected = signature(timestamp, nonce, ciphertext).getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(expected, signature.getBytes(StandardCharsets.US_ASCII))) {
            throw SiyuException.of(HttpStatus.FORBIDDEN, "callback-signature-invalid");
        }
        return decrypt(ciphertext);
    }

    /** The message signature: the SHA-1 of the token, timestamp, nonce and ciphertext sorted, in lower-case hex. */
    String signature(String timestamp, String nonce, String ciphertext) {
        return sign(token, timestamp, nonce, ciphertext);
    }

    /** The SHA-1 of the texts sorted and joined, in lower-case hex (also a plaintext-mode signature). */
    static String sign(String... texts) {
        String[] parts = texts.clone();
        Arrays.sort(parts);
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1")
                    .digest(String.join("", parts).getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private String decrypt(String ciphertext) {
        byte[] plain;
        try {
            Cipher aes = Cipher.getInstance("AES/CBC/NoPadding");
            aes.init(Cipher.DECRYPT_MODE, key, iv);
            plain = aes.doFinal(Base64.getMimeDecoder().decode(ciphertext));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw SiyuException.badRequest("callback-undecryptable");
        }
        int pad = plain.length == 0 ? 0 : plain[plain.length - 1] & 0xff;
        if (pad < 1 || pad > 32 || pad > plain.length) {
            throw SiyuException.badRequest("callback-undecryptable");
        }
        int end = plain.length - pad;
        if (end < 20) {
            throw SiyuException.badRequest("callback-undecryptable");
        }
        int length = ByteBuffer.wrap(plain, 16, 4).getInt();
        if (length < 0 || length > end - 20) {
            throw SiyuException.badRequest("callback-undecryptable");
        }
        byte[] receiver = Arrays.copyOfRange(plain, 20 + length, end);
        if (!MessageDigest.isEqual(receiver, receiverId)) {
            throw SiyuException.badRequest("callback-undecryptable");
        }
        return new String(plain, 20, length, StandardCharsets.UTF_8);
    }

    /** When the message was made ({@code CreateTime}, epoch seconds), or {@code otherwise}. */
    static java.time.OffsetDateTime createdAt(Map<String, String> msg, java.time.OffsetDateTime otherwise) {
        try {
            return java.time.OffsetDateTime.ofInstant(java.time.Instant.ofEpochSecond(Long.parseLong(msg.get("CreateTime"))),
                    java.time.ZoneOffset.UTC);
        } catch (RuntimeException e) {
            return otherwise;
        }
    }

    /** The fields of a signed, encrypted message body, decrypted. */
    Map<String, String> message(String signature, String timestamp, String nonce, String body) {
        // the body-size filter has refused bodies over siyu.api.max-callback-size before they were buffered
        if (body == null) {
            throw SiyuException.badRequest("callback-malformed");
        }
        String encrypt = fields(body).get("Encrypt");
        return fields(open(signature, timestamp, nonce, encrypt));
    }

    /** The top-level elements of an XML message, by name (text content); a 400 when it is not such XML. */
    static Map<String, String> fields(String xml) {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setXIncludeAware(false);
            f.setExpandEntityReferences(false);
            DocumentBuilder b = f.newDocumentBuilder();
            b.setErrorHandler(null);
            Element root = b.parse(new InputSource(new StringReader(xml))).getDocumentElement();
            Map<String, String> out = new HashMap<>();
            for (Node n = root.getFirstChild(); n != null; n = n.getNextSibling()) {
                if (n instanceof Element e) {
                    out.put(e.getTagName(), e.getTextContent().trim());
                }
            }
            return out;
        } catch (Exception e) {
            throw SiyuException.badRequest("callback-malformed");
        }
    }
}
