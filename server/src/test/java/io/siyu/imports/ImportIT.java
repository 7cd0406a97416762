package io.siyu.imports;

import static org.assertj.core.api.Assertions.assertThat;

import io.siyu.customer.Customers;
import io.siyu.testing.Api;
import io.siyu.testing.ApiTest;
import io.siyu.testing.TestUsers;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.apache.poi.ss.usermodel.CellStyle;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.jooq.DSLContext;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

class ImportIT extends ApiTest {

    private static final String CSV = "text/csv";
    private static final String XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    @Autowired
    Customers customers;

    @Autowired
    DSLContext db;

    private static String unique() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    private static String phone() {
        return "139" + String.format("%08d", ThreadLocalRandom.current().nextInt(100_000_000));
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** Polls the job until it has finished; fails after a minute. */
    private JsonNode awaitJob(Api api, String id) throws InterruptedException {
        for (int i = 0; i < 600; i++) {
            Api.Res res = api.get("/api/v1/jobs/" + id);
            assertThat(res.status()).as(res.toString()).isEqualTo(200);
            String status = res.str("/status");
            if (List.of("succeeded", "failed", "cancelled").contains(status)) {
                return res.body();
            }
            Thread.sleep(100);
        }
        throw new AssertionError("job " + id + " did not finish");
    }

    private JsonNode importFile(Api api, String kind, String fileName, byte[] content, String type)
            throws InterruptedException {
        Api.Res started = api.upload("/api/v1/imports/" + kind, "file", fileName, content, type);
        assertThat(started.status()).as(started.toString()).isEqualTo(202);
        assertThat(started.str("/kind")).isEqualTo("import-" + kind);
        assertThat(started.header("Location")).isEqualTo("/api/v1/jobs/" + started.str("/id"));
        JsonNode job = awaitJob(api, started.str("/id"));
        assertThat(job.at("/status").asString()).as(job.toString()).isEqualTo("succeeded");
        return job;
    }

    private JsonNode customer(String type, String value) {
        Api.Res res = admin().get("/api/v1/customers/lookup?type=" + type + "&value=" + value);
        assertThat(res.status()).as(res.toString()).isEqualTo(200);
        return res.body();
    }

    private List<CSVRecord> errorReport(Api api, String jobId) throws Exception {
        Api.Res res = api.get("/api/v1/imports/" + jobId + "/errors.csv");
        assertThat(res.status()).as(res.toString()).isEqualTo(200);
        assertThat(res.header("Content-Type")).startsWith("text/csv");
        assertThat(res.text()).startsWith("\uFEFF");
        try (CSVParser p = CSVFormat.RFC4180.parse(new java.io.StringReader(res.text().substring(1)))) {
            return p.getRecords();
        }
    }

    @Test
    void importsCustomersFromCsvReportsBadRowsAndChangesNothingTheSecondTime() throws Exception {
        String u = unique();
        customers.ensureAttribute("imp_level_" + u, "number", "等级", "Level", "newest");
        customers.ensureAttribute("imp_vip_" + u, "boolean", "VIP", "VIP", "newest");
        String p1 = phone();
        String p2 = phone();
        String csv = "\uFEFFexternal_id,phone,displayName,gender,birthday,attr.imp_level_" + u + ",attr.imp_vip_" + u + "\n"
                + "c1-" + u + "," + p1 + ",张三,female,1990-05-17,3,是\n"
                + "c2-" + u + "," + p2 + ",李四,,1988/1/2,,false\n"
                + "c3-" + u + ",,王五,male,,1.5,\n"
                + "c4-" + u + ",12345,坏手机,,,,\n"
                + ",,没有身份,,,,\n"
                + "c6-" + u + ",,坏属性,,not-a-date,many,maybe\n";
        JsonNode job = importFile(admin(), "customers", "customers.csv", utf8(csv), CSV);
        JsonNode result = job.at("/result");
        assertThat(result.at("/rows").asLong()).isEqualTo(6);
        assertThat(result.at("/imported").asLong()).isEqualTo(3);
        assertThat(result.at("/created").asLong()).isEqualTo(3);
        assertThat(result.at("/linked").asLong()).isZero();
        assertThat(result.at("/failed").asLong()).isEqualTo(3);
        assertThat(job.at("/progress/done").asLong()).isEqualTo(6);
        assertThat(job.at("/progress/total").asLong()).isEqualTo(6);

        JsonNode c1 = customer("external_id", "c1-" + u);
        assertThat(c1.at("/displayName").asString()).isEqualTo("张三");
        assertThat(c1.at("/gender").asString()).isEqualTo("female");
        assertThat(c1.at("/birthday").asString()).isEqualTo("1990-05-17");
        assertThat(c1.at("/attributes/imp_level_" + u).asInt()).isEqualTo(3);
        assertThat(c1.at("/attributes/imp_vip_" + u).asBoolean()).isTrue();
        assertThat(customer("phone", p1).at("/id").asString()).isEqualTo(c1.at("/id").asString());
        assertThat(customer("external_id", "c2-" + u).at("/birthday").asString()).isEqualTo("1988-01-02");

        List<CSVRecord> report = errorReport(admin(), job.at("/id").asString());
        assertThat(report.getFirst().toList()).startsWith("row", "column", "code", "message", "external_id", "phone");
        List<String> found = new ArrayList<>();
        for (CSVRecord r : report.subList(1, report.size())) {
            found.add(r.get(0) + " " + r.get(1) + " " + r.get(2));
        }
        assertThat(found).containsExactly("5 phone invalid-phone", "6  import-missing-identity",
                "7 birthday import-invalid-date", "7 attr.imp_level_" + u + " import-invalid-number",
                "7 attr.imp_vip_" + u + " import-invalid-boolean");
        CSVRecord badPhone = report.get(1);
        assertThat(badPhone.get(3)).contains("手机号");
        assertThat(badPhone.get(4)).isEqualTo("c4-" + u);
        assertThat(badPhone.get(6)).isEqualTo("坏手机");

        JsonNode again = importFile(admin(), "customers", "customers.csv", utf8(csv), CSV);
        assertThat(again.at("/result/created").asLong()).isZero();
        assertThat(again.at("/result/linked").asLong()).isEqualTo(3);
        assertThat(again.at("/result/failed").asLong()).isEqualTo(3);
        assertThat(customer("external_id", "c1-" + u).at("/id").asString()).isEqualTo(c1.at("/id").asString());
    }

    @Test
    void errorMessagesFollowTheLanguageOfWhoeverStartedTheImport() throws Exception {
        String csv = "external_id,birthday\nen-" + unique() + ",someday\n";
        JsonNode job = importFile(admin().lang("en"), "customers", "en.csv", utf8(csv), CSV);
        List<CSVRecord> report = errorReport(admin(), job.at("/id").asString());
        assertThat(report.get(1).get(3)).isEqualTo("Column birthday: someday is not a valid date, use a format like 2024-03-01");
    }

    @Test
    void importsCustomersFromXlsx() throws Exception {
        String u = unique();
        customers.ensureAttribute("imp_since_" + u, "date", "入会日期", "Member since", "newest");
        String p1 = phone();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (XSSFWorkbook wb = new XSSFWorkbook()) {
            Sheet sheet = wb.createSheet("客户");
            CellStyle date = wb.createCellStyle();
            date.setDataFormat(wb.getCreationHelper().createDataFormat().getFormat("yyyy年m月d日"));
            Row h = sheet.createRow(0);
            String[] header = {"phone", "miniapp_openid@wxapp" + u, "nickname", "birthday", "attr.imp_since_" + u};
            for (int i = 0; i < header.length; i++) {
                h.createCell(i).setCellValue(header[i]);
            }
            Row r = sheet.createRow(1);
            r.createCell(0).setCellValue(Double.parseDouble(p1));
            r.createCell(1).setCellValue("oX-" + u);
            r.createCell(2).setCellValue("小美");
            r.createCell(3).setCellValue(LocalDate.of(1992, 2, 29));
            r.getCell(3).setCellStyle(date);
            r.createCell(4).setCellValue(LocalDate.of(2023, 11, 11));
            r.getCell(4).setCellStyle(date);
            wb.write(out);
        }
        JsonNode job = importFile(admin(), "customers", "客户.xlsx", out.toByteArray(), XLSX);
        assertThat(job.at("/result/imported").asLong()).as(job.toString()).isEqualTo(1);
        JsonNode c = customer("phone", p1);
        assertThat(c.at("/nickname").asString()).isEqualTo("小美");
        assertThat(c.at("/birthday").asString()).isEqualTo("1992-02-29");
        assertThat(c.at("/attributes/imp_since_" + u).asString()).isEqualTo("2023-11-11");
        assertThat(c.at("/identities").findValuesAsString("appId")).contains("wxapp" + u);
    }

    @Test
    void importsOrdersWithTheirEventsOnceOnly() throws Exception {
        String u = unique();
        String csv = "order_id,external_id,ordered_at,total,revenue,discount,coupon,currency,product_id,sku,name,price,quantity\n"
                + "O1-" + u + ",buyer-" + u + ",2025-03-01 10:00,188.00,188.00,12.00,NEW10,,P1,SKU1,奶粉,100.00,1\n"
                + "O1-" + u + ",,,,,,,,P2,SKU2,纸尿裤,50.00,2\n"
                + "O2-" + u + ",buyer-" + u + ",2025-04-02T09:30:00+08:00,99.5,,,,cny,P3,,湿巾,99.50,1\n"
                + "O3-" + u + ",buyer-" + u + ",2025-05-01,abc,,,,,,,,,\n"
                + "O4-" + u + ",other-" + u + ",2025-05-02,10,,,,,P4,,,,0\n"
                + "O4-" + u + ",other-" + u + ",2025-05-02,10,,,,,P5,,,,1\n";
        JsonNode job = importFile(admin(), "orders", "orders.csv", utf8(csv), CSV);
        JsonNode result = job.at("/result");
        assertThat(result.at("/rows").asLong()).isEqualTo(6);
        assertThat(result.at("/imported").asLong()).isEqualTo(2);
        assertThat(result.at("/skipped").asLong()).isZero();
        assertThat(result.at("/failed").asLong()).isEqualTo(2);
        assertThat(result.at("/created").asLong()).isEqualTo(1);

        String customerId = customer("external_id", "buyer-" + u).at("/id").asString();
        JsonNode orders = admin().get("/api/v1/customers/" + customerId + "/orders").body().at("/items");
        assertThat(orders.findValuesAsString("orderId")).containsExactly("O2-" + u, "O1-" + u);
        JsonNode o1 = orders.get(1);
        assertThat(o1.at("/total").decimalValue()).isEqualByComparingTo("188.00");
        assertThat(o1.at("/coupon").asString()).isEqualTo("NEW10");
        assertThat(o1.at("/currency").asString()).isEqualTo("CNY");
        assertThat(o1.at("/products").findValuesAsString("sku")).containsExactly("SKU1", "SKU2");
        assertThat(o1.at("/products/1/quantity").asInt()).isEqualTo(2);
        assertThat(orders.get(0).at("/orderedAt").asString()).isEqualTo("2025-04-02T09:30:00+08:00");

        JsonNode events = admin().get("/api/v1/customers/" + customerId + "/events?name=Order%20Completed").body()
                .at("/items");
        assertThat(events).hasSize(2);
        JsonNode e1 = events.get(1);
        assertThat(e1.at("/occurredAt").asString()).isEqualTo("2025-03-01T10:00:00+08:00");
        assertThat(e1.at("/properties/order_id").asString()).isEqualTo("O1-" + u);
        assertThat(e1.at("/properties/discount").decimalValue()).isEqualByComparingTo("12");
        assertThat(e1.at("/properties/products").size()).isEqualTo(2);
        assertThat(e1.at("/properties/products/0/name").asString()).isEqualTo("奶粉");

        List<String> errors = new ArrayList<>();
        for (CSVRecord r : errorReport(admin(), job.at("/id").asString()).stream().skip(1).toList()) {
            errors.add(r.get(0) + " " + r.get(1) + " " + r.get(2));
        }
        assertThat(errors).containsExactly("5 total import-invalid-number", "6 quantity import-invalid-quantity",
                "7  import-order-refused");

        JsonNode again = importFile(admin(), "orders", "orders.csv", utf8(csv), CSV);
        assertThat(again.at("/result/imported").asLong()).isZero();
        assertThat(again.at("/result/skipped").asLong()).isEqualTo(2);
        assertThat(admin().get("/api/v1/customers/" + customerId + "/orders").body().at("/items")).hasSize(2);
        assertThat(admin().get("/api/v1/customers/" + customerId + "/events?name=Order%20Completed").body()
                .at("/items")).hasSize(2);
    }

    @Test
    void aBadHeaderIsRefusedBeforeAnyJobStarts() {
        Api.Res res = admin().upload("/api/v1/imports/customers", "file", "x.csv",
                utf8("phone,shoe_size\n13800138000,42\n"), CSV);
        assertThat(res.status()).as(res.toString()).isEqualTo(400);
        assertThat(res.str("/code")).isEqualTo("import-unknown-column");
        assertThat(res.str("/errors/0/pointer")).isEqualTo("shoe_size");
        Api.Res orders = admin().upload("/api/v1/imports/orders", "file", "o.csv", utf8("external_id,total\nx,1\n"), CSV);
        assertThat(orders.status()).isEqualTo(400);
        assertThat(orders.str("/code")).isEqualTo("import-missing-column");
        Api.Res xls = admin().upload("/api/v1/imports/customers", "file", "old.xls",
                new byte[] {(byte) 0xD0, (byte) 0xCF, 0x11, (byte) 0xE0, 1, 2, 3, 4}, "application/vnd.ms-excel");
        assertThat(xls.status()).isEqualTo(400);
        assertThat(xls.str("/code")).isEqualTo("import-unsupported-file");
        Api.Res json = admin().post("/api/v1/imports/customers", java.util.Map.of("file", "x"));
        assertThat(json.status()).isEqualTo(415);
    }

    @Test
    void analystsMayNotImportAndOthersMayNotReadSomeoneElsesImport() throws Exception {
        Api analyst = api().basic(TestUsers.create(db, "analyst"), TestUsers.PASSWORD);
        Api.Res refused = analyst.upload("/api/v1/imports/customers", "file", "a.csv", utf8("phone\n13800138000\n"), CSV);
        assertThat(refused.status()).isEqualTo(403);
        Api operator = api().basic(TestUsers.create(db, "operator"), TestUsers.PASSWORD);
        JsonNode job = importFile(operator, "customers", "mine.csv", utf8("external_id\nop-" + unique() + "\n"), CSV);
        String id = job.at("/id").asString();
        assertThat(job.at("/createdBy").asString()).startsWith("operator-");
        Api other = api().basic(TestUsers.create(db, "operator"), TestUsers.PASSWORD);
        assertThat(other.get("/api/v1/jobs/" + id).status()).isEqualTo(404);
        assertThat(other.get("/api/v1/imports/" + id + "/errors.csv").status()).isEqualTo(404);
        assertThat(other.get("/api/v1/jobs?kind=import-customers").body().at("/items").findValuesAsString("id"))
                .doesNotContain(id);
        assertThat(operator.get("/api/v1/jobs?kind=import-customers").body().at("/items").findValuesAsString("id"))
                .contains(id);
        assertThat(admin().get("/api/v1/jobs/" + id).status()).isEqualTo(200);
    }

    @Test
    void anOversizeFileIsRefusedWith413() {
        byte[] big = new byte[1536 * 1024 + 10];
        java.util.Arrays.fill(big, (byte) 'a');
        Api.Res res = admin().upload("/api/v1/imports/customers", "file", "big.csv", big, CSV);
        assertThat(res.status()).as(res.toString()).isEqualTo(413);
        assertThat(res.str("/code")).isEqualTo("body-too-large");
    }

    @Test
    void aRunningImportCanBeCancelled() throws Exception {
        String u = unique();
        StringBuilder csv = new StringBuilder("external_id\n");
        for (int i = 0; i < 40_000; i++) {
            csv.append("cx-").append(u).append('-').append(i).append('\n');
        }
        Api.Res started = admin().upload("/api/v1/imports/customers", "file", "big.csv", utf8(csv.toString()), CSV);
        assertThat(started.status()).as(started.toString()).isEqualTo(202);
        String id = started.str("/id");
        JsonNode running = null;
        for (int i = 0; i < 300 && running == null; i++) {
            Api.Res res = admin().get("/api/v1/jobs/" + id);
            if ("running".equals(res.str("/status")) && res.body().at("/progress/done").asLong() > 0) {
                running = res.body();
            } else {
                Thread.sleep(50);
            }
        }
        assertThat(running).as("job seen running with progress").isNotNull();
        assertThat(running.at("/progress/total").asLong()).isEqualTo(40_000);
        Api.Res cancel = admin().post("/api/v1/jobs/" + id + "/cancel", null);
        assertThat(cancel.status()).as(cancel.toString()).isEqualTo(200);
        JsonNode done = awaitJob(admin(), id);
        assertThat(done.at("/status").asString()).isEqualTo("cancelled");
        long imported = done.at("/result/imported").asLong();
        assertThat(imported).isPositive().isLessThan(40_000);
        assertThat(done.at("/progress/done").asLong()).isEqualTo(done.at("/result/rows").asLong());
        assertThat(admin().post("/api/v1/jobs/" + id + "/cancel", null).status()).isEqualTo(409);
    }
}
