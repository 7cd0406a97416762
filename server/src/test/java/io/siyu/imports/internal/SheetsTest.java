package io.siyu.imports.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.siyu.platform.SiyuException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.apache.poi.ss.usermodel.CellStyle;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SheetsTest {

    @TempDir
    Path dir;

    private List<String> rows(Path file) throws Exception {
        List<String> out = new ArrayList<>();
        Sheets.read(file, Sheets.detect(file), (n, cells) -> {
            out.add(n + ":" + String.join("|", cells));
            return true;
        });
        return out;
    }

    @Test
    void readsUtf8CsvWithByteOrderMarkAndSkipsBlankRows() throws Exception {
        Path file = dir.resolve("a.csv");
        Files.write(file, ("\uFEFFphone,displayName\n13800138000,\"张, 三\"\n,\n13900139000,李四\n")
                .getBytes(StandardCharsets.UTF_8));
        assertThat(Sheets.detect(file)).isEqualTo(Sheets.Format.CSV);
        assertThat(rows(file)).containsExactly("1:phone|displayName", "2:13800138000|张, 三", "4:13900139000|李四");
    }

    @Test
    void refusesCsvThatIsNotUtf8() throws Exception {
        Path file = dir.resolve("gbk.csv");
        Files.write(file, "phone,city\n13800138000,上海\n".getBytes("GBK"));
        assertThatThrownBy(() -> rows(file)).isInstanceOfSatisfying(SiyuException.class,
                e -> assertThat(e.code()).isEqualTo("import-not-utf8"));
    }

    @Test
    void readsXlsxNumbersPlainAndDatesAsIso() throws Exception {
        Path file = dir.resolve("a.xlsx");
        try (XSSFWorkbook wb = new XSSFWorkbook(); OutputStream out = Files.newOutputStream(file)) {
            Sheet sheet = wb.createSheet();
            CellStyle date = wb.createCellStyle();
            date.setDataFormat(wb.getCreationHelper().createDataFormat().getFormat("yyyy/m/d"));
            Row h = sheet.createRow(0);
            h.createCell(0).setCellValue("phone");
            h.createCell(1).setCellValue("birthday");
            h.createCell(2).setCellValue("level");
            h.createCell(3).setCellValue("vip");
            Row r = sheet.createRow(2);
            r.createCell(0).setCellValue(13800138000d);
            r.createCell(1).setCellValue(LocalDate.of(1990, 5, 17));
            r.getCell(1).setCellStyle(date);
            r.createCell(2).setCellValue(2.5);
            r.createCell(3).setCellValue(true);
            Row sparse = sheet.createRow(3);
            sparse.createCell(2).setCellValue("x");
            wb.write(out);
        }
        assertThat(Sheets.detect(file)).isEqualTo(Sheets.Format.XLSX);
        assertThat(rows(file)).containsExactly("1:phone|birthday|level|vip", "3:13800138000|1990-05-17|2.5|TRUE",
                "4:||x");
    }

    @Test
    void refusesLegacyXlsAndDamagedWorkbooks() throws Exception {
        Path xls = dir.resolve("a.xls");
        Files.write(xls, new byte[] {(byte) 0xD0, (byte) 0xCF, 0x11, (byte) 0xE0, 0, 0, 0, 0});
        assertThatThrownBy(() -> Sheets.detect(xls)).isInstanceOfSatisfying(SiyuException.class,
                e -> assertThat(e.code()).isEqualTo("import-unsupported-file"));
        Path broken = dir.resolve("b.xlsx");
        Files.write(broken, new byte[] {'P', 'K', 3, 4, 1, 2, 3});
        assertThatThrownBy(() -> rows(broken)).isInstanceOfSatisfying(SiyuException.class,
                e -> assertThat(e.code()).isEqualTo("import-unreadable-file"));
    }
}
