package io.siyu.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A local stand-in for WeCom's server API, following its published shapes: {@code gettoken}, the
 * customer-contact calls {@code externalcontact/get_follow_user_list} and {@code batch/get_by_user}, and
 * the customer-group calls {@code externalcontact/groupchat/list} and {@code /get} (POST, JSON bodies,
 * {@code errcode} 0 on success, 40014 for a wrong access token, 40050 for an unknown chat id). Tests
 * put groups in it and read what was called. One instance serves the whole test JVM.
 */
public final class FakeWecom {

    public static final String CORP_ID = "wwFakeCorp0001";
    public static final String SECRET = "fake-contact-secret";
    public static final String TOKEN = "fakeCallbackToken";
    /** An official account whose callbacks the tests send (same token and key, for brevity). */
    public static final String OA_APP_ID = "wxFakeOfficial01";
    /** An official account in plaintext mode (no key configured). */
    public static final String OA_PLAIN_APP_ID = "wxFakePlain0001";
    /** 43 characters of base64, as WeCom's EncodingAESKey. */
    public static final String AES_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static FakeWecom instance;

    /** A member as groupchat/get lists it: type 1 staff, 2 external contact. */
    public record Member(String userId, int type, String unionId, long joinTime) {
    }

    /** A group as groupchat/get describes it. */
    public record Group(String chatId, String name, String owner, List<Member> members) {
    }

    /** A staff member's customer contact as batch/get_by_user lists it. */
    public record Contact(String externalUserId, String unionId, long createTime) {
    }

    private final HttpServer server;
    private final Map<String, List<Contact>> contacts = new ConcurrentSkipListMap<>();
    private final Map<String, Group> groups = new ConcurrentSkipListMap<>();
    private final AtomicInteger tokens = new AtomicInteger();
    private final AtomicInteger getCalls = new AtomicInteger();
    private volatile boolean failing;
    private volatile java.util.concurrent.CountDownLatch holdGets;
    private final java.util.concurrent.Semaphore heldGet = new java.util.concurrent.Semaphore(0);
    private volatile String token = "";

    private FakeWecom() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/cgi-bin/gettoken", this::token);
        server.createContext("/cgi-bin/externalcontact/groupchat/get", this::get);
        server.createContext("/cgi-bin/externalcontact/groupchat/list", this::list);
        server.createContext("/cgi-bin/externalcontact/get_follow_user_list", this::followUsers);
        server.createContext("/cgi-bin/externalcontact/batch/get_by_user", this::contacts);
        server.start();
    }

    public static synchronized FakeWecom get() {
        if (instance == null) {
            try {
                instance = new FakeWecom();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return instance;
    }

    public static String url() {
        return "http://127.0.0.1:" + get().server.getAddress().getPort();
    }

    public void put(Group g) {
        groups.put(g.chatId(), g);
    }

    public void remove(String chatId) {
        groups.remove(chatId);
    }

    /** The staff member (by WeCom user id) has exactly these customer contacts. */
    public void contacts(String staffUserId, List<Contact> list) {
        contacts.put(staffUserId, List.copyOf(list));
    }

    public void clear() {
        holdGets = null;
        groups.clear();
        contacts.clear();
        failing = false;
    }

    /** While set, every group call answers WeCom's "system busy" (-1). */
    public void failing(boolean on) {
        failing = on;
    }

    /** groupchat/get answers wait until the returned latch is counted down (the read is then "old"). */
    public java.util.concurrent.CountDownLatch holdGets() {
        holdGets = new java.util.concurrent.CountDownLatch(1);
        return holdGets;
    }

    /** Waits until a held groupchat/get has read its answer and is waiting. */
    public void awaitHeldGet() throws InterruptedException {
        if (!heldGet.tryAcquire(20, java.util.concurrent.TimeUnit.SECONDS)) {
            throw new IllegalStateException("no groupchat/get arrived");
        }
    }

    public int getCalls() {
        return getCalls.get();
    }

    private void token(HttpExchange x) throws IOException {
        Map<String, String> q = query(x.getRequestURI());
        if (!CORP_ID.equals(q.get("corpid")) || !SECRET.equals(q.get("corpsecret"))) {
            send(x, Map.of("errcode", 40001, "errmsg", "invalid credential"));
            return;
        }
        token = "fake-access-token-" + tokens.incrementAndGet();
        send(x, Map.of("errcode", 0, "errmsg", "ok", "access_token", token, "expires_in", 7200));
    }

    private boolean authorised(HttpExchange x) throws IOException {
        if (!"POST".equals(x.getRequestMethod())) {
            send(x, Map.of("errcode", 43002, "errmsg", "require POST method"));
            return false;
        }
        return tokenOk(x);
    }

    private void get(HttpExchange x) throws IOException {
        if (!authorised(x)) {
            return;
        }
        getCalls.incrementAndGet();
        JsonNode body = JSON.readTree(x.getRequestBody().readAllBytes());
        Group g = groups.get(body.path("chat_id").asString(""));
        java.util.concurrent.CountDownLatch hold = holdGets;
        if (hold != null) {
            holdGets = null;
            heldGet.release();
            try {
                hold.await(20, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (g == null) {
            send(x, Map.of("errcode", 40050, "errmsg", "invalid group id"));
            return;
        }
        List<Map<String, Object>> members = new ArrayList<>();
        for (Member m : g.members()) {
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("userid", m.userId());
            one.put("type", m.type());
            if (m.unionId() != null) {
                one.put("unionid", m.unionId());
            }
            one.put("join_time", m.joinTime());
            one.put("join_scene", 1);
            one.put("invitor", Map.of("userid", g.owner()));
            one.put("group_nickname", "");
            one.put("name", m.userId());
            members.add(one);
        }
        Map<String, Object> chat = new LinkedHashMap<>();
        chat.put("chat_id", g.chatId());
        chat.put("name", g.name());
        chat.put("owner", g.owner());
        chat.put("create_time", 1_700_000_000L);
        chat.put("notice", "");
        chat.put("member_list", members);
        chat.put("admin_list", List.of());
        chat.put("member_version", "v" + members.size());
        send(x, Map.of("errcode", 0, "errmsg", "ok", "group_chat", chat));
    }

    private void list(HttpExchange x) throws IOException {
        if (!authorised(x)) {
            return;
        }
        JsonNode body = JSON.readTree(x.getRequestBody().readAllBytes());
        int limit = body.path("limit").asInt(100);
        String cursor = body.path("cursor").asString("");
        List<String> ids = new ArrayList<>(groups.keySet());
        int from = cursor.isEmpty() ? 0 : Integer.parseInt(cursor);
        // pages of two, whatever the limit asked for (at most 1000), so paging is exercised
        int to = Math.min(ids.size(), from + Math.min(limit, 2));
        List<Map<String, Object>> page = new ArrayList<>();
        for (String id : ids.subList(from, to)) {
            page.add(Map.of("chat_id", id, "status", 0));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("errcode", 0);
        out.put("errmsg", "ok");
        out.put("group_chat_list", page);
        if (to < ids.size()) {
            out.put("next_cursor", String.valueOf(to));
        }
        send(x, out);
    }

    private boolean tokenOk(HttpExchange x) throws IOException {
        if (token.isEmpty() || !token.equals(query(x.getRequestURI()).get("access_token"))) {
            send(x, Map.of("errcode", 40014, "errmsg", "invalid access_token"));
            return false;
        }
        if (failing) {
            send(x, Map.of("errcode", -1, "errmsg", "system busy"));
            return false;
        }
        return true;
    }

    private void followUsers(HttpExchange x) throws IOException {
        if (tokenOk(x)) {
            send(x, Map.of("errcode", 0, "errmsg", "ok", "follow_user", List.copyOf(contacts.keySet())));
        }
    }

    private void contacts(HttpExchange x) throws IOException {
        if (!authorised(x)) {
            return;
        }
        JsonNode body = JSON.readTree(x.getRequestBody().readAllBytes());
        String userId = body.path("userid_list").path(0).asString("");
        String cursor = body.path("cursor").asString("");
        List<Contact> all = contacts.getOrDefault(userId, List.of());
        int from = cursor.isEmpty() ? 0 : Integer.parseInt(cursor);
        int to = Math.min(all.size(), from + Math.min(body.path("limit").asInt(50), 2));
        List<Map<String, Object>> page = new ArrayList<>();
        for (Contact c : all.subList(from, to)) {
            Map<String, Object> ext = new LinkedHashMap<>();
            ext.put("external_userid", c.externalUserId());
            ext.put("name", "客户" + c.externalUserId().substring(Math.max(0, c.externalUserId().length() - 4)));
            ext.put("type", 1);
            ext.put("gender", 2);
            if (c.unionId() != null) {
                ext.put("unionid", c.unionId());
            }
            page.add(Map.of("external_contact", ext, "follow_info", Map.of("userid", userId, "remark", "",
                    "createtime", c.createTime(), "tag_id", List.of(), "add_way", 1)));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("errcode", 0);
        out.put("errmsg", "ok");
        out.put("external_contact_list", page);
        out.put("next_cursor", to < all.size() ? String.valueOf(to) : "");
        send(x, out);
    }

    private static Map<String, String> query(URI uri) {
        Map<String, String> out = new LinkedHashMap<>();
        String q = uri.getRawQuery();
        if (q != null) {
            for (String pair : q.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    out.put(java.net.URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                            java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return out;
    }

    private static void send(HttpExchange x, Object body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        x.getResponseHeaders().set("Content-Type", "application/json; charset=UTF-8");
        x.sendResponseHeaders(200, bytes.length);
        try (OutputStream out = x.getResponseBody()) {
            out.write(bytes);
        }
    }
}
