package io.siyu.imports.internal;

import io.siyu.platform.SiyuException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.apache.poi.openxml4j.opc.OPCPackage;
import org.apache.poi.openxml4j.opc.PackageAccess;
import org.apache.poi.ss.usermodel.DataFormatter;
import org.apache.poi.ss.usermodel.DateUtil;
import org.apache.poi.ss.util.CellReference;
import org.apache.poi.util.XMLHelper;
import org.apache.poi.xssf.eventusermodel.ReadOnlySharedStringsTable;
import org.apache.poi.xssf.eventusermodel.XSSFReader;
import org.apache.poi.xssf.eventusermodel.XSSFSheetXMLHandler;
import org.apache.poi.xssf.model.StylesTable;
import org.apache.poi.xssf.usermodel.XSSFComment;
import org.xml.sax.InputSource;
import org.xml.sax.XMLReader;

/**
 * Reads the rows of an uploaded file, streaming: UTF-8 CSV (with or without a byte order mark) or
 * the first sheet of an .xlsx workbook. The format is told by the file's first bytes, not by its
 * name. Rows whose cells are all blank are skipped; row numbers are those a spreadsheet shows
 * (the header is row 1).
 */
final class Sheets {

    /** A file format we read. */
    enum Format {
        CSV, XLSX
    }

    /** Receives rows in order; returns false to stop reading. */
    @FunctionalInterface
    interface RowSink {
        boolean row(long rowNumber, List<String> cells) throws Exception;
    }

    private static final byte[] ZIP = {'P', 'K', 3, 4};
    private static final byte[] OLE2 = {(byte) 0xD0, (byte) 0xCF, 0x11, (byte) 0xE0};
    private static final CSVFormat CSV = CSVFormat.RFC4180.builder().setIgnoreEmptyLines(true).get();

    private Sheets() {
    }

    /** The file's format; 400 for legacy .xls and other binary files. */
    static Format detect(Path file) throws IOException {
        byte[] head = new byte[4];
        int n;
        try (InputStream in = Files.newInputStream(file)) {
            n = in.readNBytes(head, 0, 4);
        }
        if (n == 0) {
            throw SiyuException.badRequest("import-empty-file");
        }
        if (n == 4 && Arrays.equals(head, ZIP)) {
            return Format.XLSX;
        }
        if (n == 4 && Arrays.equals(head, OLE2)) {
            throw SiyuException.badRequest("import-unsupported-file");
        }
        return Format.CSV;
    }

    /** Reads every non-blank row; 400 problems for files that cannot be read. */
    static void read(Path file, Format format, RowSink sink) throws Exception {
        try {
            if (format == Format.CSV) {
                readCsv(file, sink);
            } else {
                readXlsx(file, sink);
            }
        } catch (Stop stop) {
            // the sink asked to stop
        } catch (UncheckedIOException e) {
            if (e.getCause() instanceof CharacterCodingException) {
                throw SiyuException.badRequest("import-not-utf8");
            }
            throw SiyuException.badRequest("import-unreadable-file");
        } catch (CharacterCodingException e) {
            throw SiyuException.badRequest("import-not-utf8");
        } catch (IOException | org.apache.poi.openxml4j.exceptions.OpenXML4JException
                | org.apache.poi.openxml4j.exceptions.OpenXML4JRuntimeException | org.apache.poi.ooxml.POIXMLException
                | org.apache.poi.UnsupportedFileFormatException | org.xml.sax.SAXException e) {
            throw SiyuException.badRequest("import-unreadable-file");
        }
    }

    /** The first row (the header); 400 when the file has no non-blank row. */
    static List<String> header(Path file, Format format) throws Exception {
        List<List<String>> first = new ArrayList<>();
        read(file, format, (n, cells) -> {
            first.add(cells);
            return false;
        });
        if (first.isEmpty()) {
            throw SiyuException.badRequest("import-empty-file");
        }
        return first.getFirst();
    }

    private static void readCsv(Path file, RowSink sink) throws Exception {
        InputStream raw = new BufferedInputStream(Files.newInputStream(file));
        raw.mark(3);
        byte[] bom = raw.readNBytes(3);
        if (!(bom.length == 3 && bom[0] == (byte) 0xEF && bom[1] == (byte) 0xBB && bom[2] == (byte) 0xBF)) {
            raw.reset();
        }
        Reader reader = new InputStreamReader(raw, StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT));
        try (CSVParser parser = CSV.parse(reader)) {
            for (CSVRecord record : parser) {
                List<String> cells = record.toList();
                if (cells.stream().allMatch(Cells::blank)) {
                    continue;
                }
                if (!sink.row(record.getRecordNumber(), cells)) {
                    return;
                }
            }
        }
    }

    private static void readXlsx(Path file, RowSink sink) throws Exception {
        try (OPCPackage pkg = OPCPackage.open(file.toFile(), PackageAccess.READ)) {
            XSSFReader reader = new XSSFReader(pkg);
            ReadOnlySharedStringsTable strings = new ReadOnlySharedStringsTable(pkg);
            StylesTable styles = reader.getStylesTable();
            XSSFReader.SheetIterator sheets = (XSSFReader.SheetIterator) reader.getSheetsData();
            if (!sheets.hasNext()) {
                return;
            }
            try (InputStream sheet = sheets.next()) {
                XMLReader parser = XMLHelper.newXMLReader();
                parser.setContentHandler(new XSSFSheetXMLHandler(styles, null, strings, new RowCollector(sink),
                        new PlainFormatter(), false));
                parser.parse(new InputSource(sheet));
            }
        }
    }

    /** Thrown through the SAX parser when the sink stops reading. */
    private static final class Stop extends RuntimeException {
        Stop() {
            super(null, null, false, false);
        }
    }

    /** Collects a row's cells by column (cells of empty columns are not reported) and hands it on. */
    private static final class RowCollector implements XSSFSheetXMLHandler.SheetContentsHandler {
        private final RowSink sink;
        private final List<String> cells = new ArrayList<>();

        RowCollector(RowSink sink) {
            this.sink = sink;
        }

        @Override
        public void startRow(int rowNum) {
            cells.clear();
        }

        @Override
        public void endRow(int rowNum) {
            if (cells.stream().allMatch(Cells::blank)) {
                return;
            }
            try {
                if (!sink.row(rowNum + 1L, List.copyOf(cells))) {
                    throw new Stop();
                }
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void cell(String reference, String value, XSSFComment comment) {
            int col = new CellReference(reference).getCol();
            while (cells.size() < col) {
                cells.add("");
            }
            cells.add(value == null ? "" : value);
        }
    }

    /**
     * Formats numeric cells as plain numbers ({@code 13800138000}, not {@code 1.38E10} or a locale's
     * grouping) and date cells as ISO dates or date-times, whatever display format the sheet uses.
     */
    static final class PlainFormatter extends DataFormatter {

        PlainFormatter() {
            super(Locale.ROOT);
        }

        @Override
        public String formatRawCellContents(double value, int formatIndex, String formatString, boolean use1904) {
            if (DateUtil.isADateFormat(formatIndex, formatString) && DateUtil.isValidExcelDate(value)) {
                LocalDateTime t = DateUtil.getLocalDateTime(value, use1904, true);
                return t.toLocalTime().equals(java.time.LocalTime.MIDNIGHT) ? t.toLocalDate().toString() : t.toString();
            }
            return plain(value);
        }

        static String plain(double value) {
            return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
        }
    }
}
