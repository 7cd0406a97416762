package io.siyu.compliance;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MaskingTest {

    @Test
    void chineseMobileIsShownInNationalFormWithTheMiddleHidden() {
        assertThat(Masking.phone("+8613812345678")).isEqualTo("138****5678");
        assertThat(Masking.phone("13812345678")).isEqualTo("138****5678");
    }

    @Test
    void foreignPhoneKeepsCountryCodeAndLastFourDigits() {
        assertThat(Masking.phone("+14155550123")).isEqualTo("+1415***0123");
        assertThat(Masking.phone("+85291234567")).isEqualTo("+8529***4567");
    }

    @Test
    void shortPhoneIsHiddenCompletely() {
        assertThat(Masking.phone("+86123")).isEqualTo("***");
        assertThat(Masking.phone("12345")).isEqualTo("*****");
    }

    @Test
    void phoneNeverRevealsTheMiddleDigits() {
        String masked = Masking.phone("+8613912348888");
        assertThat(masked).doesNotContain("1234").endsWith("8888").hasSize(11);
    }

    @Test
    void emailKeepsFirstLetterAndDomain() {
        assertThat(Masking.email("zhang.san@example.com")).isEqualTo("z***@example.com");
        assertThat(Masking.email("a@b.cn")).isEqualTo("a***@b.cn");
    }

    @Test
    void emailWithoutLocalPartIsHiddenCompletely() {
        assertThat(Masking.email("@example.com")).isEqualTo("***");
        assertThat(Masking.email("not-an-email")).isEqualTo("***");
    }

    @Test
    void chineseNamesKeepTheFamilyName() {
        assertThat(Masking.name("张三")).isEqualTo("张*");
        assertThat(Masking.name("李小龙")).isEqualTo("李**");
        assertThat(Masking.name("欧阳娜娜")).isEqualTo("欧***");
    }

    @Test
    void singleCharacterNameIsStillMasked() {
        assertThat(Masking.name("王")).isEqualTo("王*");
    }

    @Test
    void namesOutsideTheBasicPlaneAreMaskedByCharacterNotByCodeUnit() {
        // U+20BB7 (𠮷) takes two UTF-16 code units: it must be kept whole, and counted once
        assertThat(Masking.name("𠮷野家")).isEqualTo("𠮷**");
        assertThat(Masking.name("张𠮷")).isEqualTo("张*");
    }

    @Test
    void westernNamesKeepTheFirstLetter() {
        assertThat(Masking.name("Alice")).isEqualTo("A****");
    }

    @Test
    void identifiersKeepTwoCharactersAtEachEnd() {
        assertThat(Masking.identifier("wmABCDEFGH123456")).isEqualTo("wm********56");
        assertThat(Masking.identifier("abcdef")).isEqualTo("ab**ef");
        assertThat(Masking.identifier("abcd")).isEqualTo("****");
    }

    @Test
    void emptyAndNullPassThrough() {
        assertThat(Masking.phone(null)).isNull();
        assertThat(Masking.phone("")).isEmpty();
        assertThat(Masking.email(null)).isNull();
        assertThat(Masking.name("")).isEmpty();
        assertThat(Masking.identifier(null)).isNull();
        assertThat(Masking.identifier("")).isEmpty();
    }
}
