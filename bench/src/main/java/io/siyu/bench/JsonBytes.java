package io.siyu.bench;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A growable UTF-8 byte buffer for the benchmark clients' request bodies. The clients share the two
 * cores with the server they measure, so their bodies are written as bytes directly: a
 * {@code StringBuilder} turns to UTF-16 at the first Chinese character and every body then had to be
 * encoded back to UTF-8. Text appended with {@link #ascii} must be ASCII; other text is given as bytes
 * encoded once ({@link #utf8}).
 */
final class JsonBytes {

    private byte[] bytes;
    private int length;

    JsonBytes(int capacity) {
        bytes = new byte[Math.max(16, capacity)];
    }

    /** Text encoded once, for appending with {@link #raw}. */
    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    JsonBytes reset() {
        length = 0;
        return this;
    }

    JsonBytes ascii(String s) {
        int n = s.length();
        ensure(n);
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c > 0x7f) {
                throw new IllegalArgumentException("not ASCII: " + s);
            }
            bytes[length++] = (byte) c;
        }
        return this;
    }

    JsonBytes raw(byte[] b) {
        ensure(b.length);
        System.arraycopy(b, 0, bytes, length, b.length);
        length += b.length;
        return this;
    }

    JsonBytes ch(char c) {
        ensure(1);
        bytes[length++] = (byte) c;
        return this;
    }

    JsonBytes number(long v) {
        return ascii(Long.toString(v));
    }

    /** {@code v} in decimal, left-padded with zeros to {@code width} digits. */
    JsonBytes digits(long v, int width) {
        ensure(width);
        for (int i = width - 1; i >= 0; i--) {
            bytes[length + i] = (byte) ('0' + v % 10);
            v /= 10;
        }
        length += width;
        return this;
    }

    /** The low {@code 4 * digits} bits of {@code v} as that many lower-case hex digits. */
    JsonBytes hex(long v, int digits) {
        ensure(digits);
        for (int i = digits - 1; i >= 0; i--) {
            bytes[length + i] = (byte) "0123456789abcdef".charAt((int) (v & 0xf));
            v >>>= 4;
        }
        length += digits;
        return this;
    }

    /** What was appended from byte {@code start} on, as text. */
    String textFrom(int start) {
        return new String(bytes, start, length - start, StandardCharsets.UTF_8);
    }

    int length() {
        return length;
    }

    byte[] toByteArray() {
        return Arrays.copyOf(bytes, length);
    }

    @Override
    public String toString() {
        return new String(bytes, 0, length, StandardCharsets.UTF_8);
    }

    private void ensure(int more) {
        if (length + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
        }
    }
}
