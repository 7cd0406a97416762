package io.siyu.demo.internal;

import io.siyu.customer.CustomerTraits;
import io.siyu.customer.IdentityInput;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Generates the demo brand's people and every moment one of them showed up on a channel, from a
 * seed: the same seed and size always give the same touches in the same order. The channel mix
 * and overlaps follow the carrier matrix of domain.md: most people reach the brand through WeCom
 * and the mini program; the unionid and the phone tie channels together, so customers first seen
 * separately merge when a later touch shows both identities.
 */
final class DemoBrand {

    static final String MINIAPP = "wxdemo_miniapp";
    static final String OFFICIAL_ACCOUNT = "wxdemo_oa";

    private static final String[] SURNAMES = {"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马",
        "朱", "胡", "郭", "何", "林", "罗", "高", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹"};
    private static final String[] GIVEN = {"婷", "静", "敏", "丽", "娜", "芳", "燕", "雪", "颖", "琳", "晓", "欣", "悦", "佳",
        "思", "雨", "萌", "倩", "蕾", "洁", "伟", "强", "磊", "涛", "杰"};
    private static final String[] NICK = {"宝妈", "小太阳", "糖糖妈", "安安", "momo", "Cici", "豆豆妈咪", "一只小鹿", "向日葵",
        "柠檬", "小鱼儿", "Grace", "喵喵", "星星妈", "晴天"};
    private static final String[][] PLACES = {{"上海", "上海"}, {"北京", "北京"}, {"广东", "广州"}, {"广东", "深圳"},
        {"浙江", "杭州"}, {"江苏", "南京"}, {"江苏", "苏州"}, {"四川", "成都"}, {"湖北", "武汉"}, {"陕西", "西安"},
        {"重庆", "重庆"}, {"天津", "天津"}, {"湖南", "长沙"}, {"福建", "厦门"}, {"山东", "青岛"}, {"河南", "郑州"}};
    private static final String[] STAGES = {"备孕", "孕期", "0-6月", "6-12月", "1-3岁", "3岁以上"};
    private static final String[] STORES = {"上海徐汇店", "上海浦东店", "北京朝阳店", "杭州西湖店", "深圳南山店", "成都高新店"};
    private static final String[] PHONE_PREFIXES = {"135", "136", "137", "138", "139", "150", "151", "152", "158", "159",
        "182", "183", "187", "188", "198"};
    static final String[][] STAFF = {{"林悦", "育儿顾问"}, {"陈思", "育儿顾问"}, {"王芳", "门店导购"}, {"赵敏", "门店导购"},
        {"周婷", "客服"}, {"吴静", "客服"}, {"孙丽", "育儿顾问"}, {"郑雪", "门店导购"}, {"黄蕾", "社群运营"},
        {"刘欣", "营养师"}, {"杨洁", "育儿顾问"}, {"徐颖", "门店导购"}};

    /** One moment a person showed up on a channel, and who served them (WeCom only). */
    record Touch(OffsetDateTime at, int person, List<IdentityInput> identities, CustomerTraits traits, int staff) {
    }

    private final long seed;
    private final int people;
    private final OffsetDateTime end;

    DemoBrand(long seed, int people, OffsetDateTime end) {
        this.seed = seed;
        this.people = people;
        this.end = end;
    }

    /** All touches of all people over the last twelve months, in time order. */
    List<Touch> touches() {
        List<Touch> all = new ArrayList<>();
        for (int p = 0; p < people; p++) {
            all.addAll(touchesOf(p));
        }
        all.sort(Comparator.comparing(Touch::at).thenComparingInt(Touch::person));
        return all;
    }

    /** The touches of one person, in their own order. */
    List<Touch> touchesOf(int p) {
        return person(p, new SplittableRandom(seed * 1_000_003L + p));
    }

    /**
     * One person as they would be once every channel is tied together: all their usable identities
     * (the first phone only: a changed number is a conflict), their profile, when they were first seen.
     * Benchmarks load people like this in bulk, bypassing resolution.
     */
    io.siyu.demo.DemoPerson resolved(int p) {
        List<Touch> touches = touchesOf(p);
        java.util.LinkedHashMap<String, IdentityInput> ids = new java.util.LinkedHashMap<>();
        String source = null;
        CustomerTraits richest = CustomerTraits.NONE;
        OffsetDateTime first = null;
        for (Touch t : touches) {
            if (first == null || t.at().isBefore(first)) {
                first = t.at();
                source = t.traits().source();
            }
            for (IdentityInput i : t.identities()) {
                boolean junk = i.value().equals("undefined");
                boolean secondPhone = i.type().equals("phone") && ids.containsKey("phone");
                if (!junk && !secondPhone) {
                    ids.putIfAbsent(i.type().equals("phone") ? "phone" : i.type() + "|" + i.appId() + "|" + i.value(), i);
                }
            }
            if (t.traits().realName() != null || richest == CustomerTraits.NONE) {
                richest = t.traits();
            }
        }
        CustomerTraits traits = new CustomerTraits(richest.displayName(), richest.nickname(), richest.realName(),
                richest.gender(), richest.birthday(), richest.province(), richest.city(), richest.avatarUrl(), source,
                richest.attributes());
        return new io.siyu.demo.DemoPerson(p, List.copyOf(ids.values()), traits, first);
    }

    private List<Touch> person(int p, SplittableRandom r) {
        // more people joined recently: the brand is growing
        double u = Math.sqrt(r.nextDouble());
        OffsetDateTime first = end.minusDays(365).plusMinutes((long) (u * 364 * 24 * 60));
        boolean female = r.nextDouble() < 0.86;
        String realName = SURNAMES[r.nextInt(SURNAMES.length)] + GIVEN[r.nextInt(female ? 20 : GIVEN.length)]
                + (r.nextBoolean() ? GIVEN[r.nextInt(20)] : "");
        String nickname = NICK[r.nextInt(NICK.length)] + (r.nextInt(4) == 0 ? String.valueOf(r.nextInt(100)) : "");
        String[] place = PLACES[r.nextInt(PLACES.length)];
        LocalDate birthday = LocalDate.of(1984 + r.nextInt(18), 1 + r.nextInt(12), 1 + r.nextInt(28));
        String stage = STAGES[Math.min(STAGES.length - 1, (int) Math.floor(Math.abs(r.nextGaussian()) * 2.2))];
        LocalDate babyBirthday = stage.equals("备孕") ? null : end.toLocalDate().minusDays(r.nextInt(stage.equals("孕期") ? 1 : 1200))
                .plusDays(stage.equals("孕期") ? 30 + r.nextInt(200) : 0);

        String unionid = "oDemoU" + code(p, 20);
        String phone = PHONE_PREFIXES[p % PHONE_PREFIXES.length] + String.format("%08d", p);
        int staff = (int) Math.floor(Math.pow(r.nextDouble(), 1.6) * STAFF.length);

        List<Touch> touches = new ArrayList<>();
        List<String> order = new ArrayList<>();
        if (r.nextDouble() < 0.65) {
            order.add("wecom");
        }
        if (r.nextDouble() < 0.55) {
            order.add("miniapp");
        }
        if (r.nextDouble() < 0.35) {
            order.add("official_account");
        }
        if (r.nextDouble() < 0.25) {
            order.add("pos");
        }
        if (r.nextDouble() < 0.15 || order.isEmpty()) {
            order.add("web");
        }
        // the first channel is where they came from; others follow over the next weeks
        java.util.Collections.rotate(order, r.nextInt(order.size()));
        OffsetDateTime at = first;
        for (String channel : order) {
            touches.add(touch(channel, at, p, r, unionid, phone, staff, realName, nickname, female, place, birthday,
                    stage, babyBirthday));
            at = at.plusHours(1 + r.nextInt(24 * 40));
            if (at.isAfter(end)) {
                at = end.minusMinutes(1 + r.nextInt(600));
            }
        }
        if (order.size() >= 2 && r.nextDouble() < 0.7) {
            // later the person binds a phone while signed in with WeChat (e.g. claiming a member benefit in the mini
            // program): one touch shows the identities that tie their channels together
            List<IdentityInput> bind = new ArrayList<>();
            bind.add(IdentityInput.of("wechat_unionid", unionid));
            bind.add(IdentityInput.of("phone", phone));
            if (order.contains("wecom")) {
                bind.add(IdentityInput.of("wecom_external_userid", "wmDemo" + code(p, 24)));
            }
            if (order.contains("web")) {
                bind.add(IdentityInput.of("external_id", "U" + (100_000 + p)));
            }
            touches.add(new Touch(at, p, bind, CustomerTraits.NONE, -1));
            at = at.plusHours(1 + r.nextInt(24 * 20));
            if (at.isAfter(end)) {
                at = end.minusMinutes(1 + r.nextInt(600));
            }
        }
        if (r.nextDouble() < 0.004 && order.contains("pos")) {
            // changed phone number at the store: the member number now meets a second phone → conflict
            String newPhone = PHONE_PREFIXES[(p + 7) % PHONE_PREFIXES.length] + String.format("%08d", people + p);
            touches.add(new Touch(at, p, List.of(IdentityInput.of("pos_member_no", "POS" + code(p, 10)),
                    IdentityInput.of("phone", newPhone)), traits("pos", null, null, null, null, null, null, Map.of()), -1));
        }
        return touches;
    }

    private Touch touch(String channel, OffsetDateTime at, int p, SplittableRandom r, String unionid, String phone,
            int staff, String realName, String nickname, boolean female, String[] place, LocalDate birthday, String stage,
            LocalDate babyBirthday) {
        List<IdentityInput> ids = new ArrayList<>();
        Map<String, Object> attrs = new LinkedHashMap<>();
        attrs.put("babyStage", stage);
        if (babyBirthday != null) {
            attrs.put("babyBirthday", babyBirthday);
        }
        String gender = female ? "female" : "male";
        return switch (channel) {
            case "wecom" -> {
                ids.add(IdentityInput.of("wecom_external_userid", "wmDemo" + code(p, 24)));
                if (r.nextDouble() < 0.6) {
                    ids.add(IdentityInput.of("wechat_unionid", unionid));
                }
                yield new Touch(at, p, ids, traits("wecom", nickname, null, gender, null, null, null, Map.of()), staff);
            }
            case "miniapp" -> {
                ids.add(new IdentityInput("miniapp_openid", "oDemoM" + code(p, 20), MINIAPP));
                if (r.nextDouble() < 0.85) {
                    ids.add(IdentityInput.of("wechat_unionid", unionid));
                }
                if (r.nextDouble() < 0.65) {
                    ids.add(IdentityInput.of("phone", phone));
                }
                yield new Touch(at, p, ids, traits("miniapp", nickname, null, gender, null, place, null, attrs), -1);
            }
            case "official_account" -> {
                ids.add(new IdentityInput("wechat_openid", "oDemoO" + code(p, 20), OFFICIAL_ACCOUNT));
                if (r.nextDouble() < 0.9) {
                    ids.add(IdentityInput.of("wechat_unionid", unionid));
                }
                yield new Touch(at, p, ids, traits("official_account", nickname, null, null, null, null, null, Map.of()), -1);
            }
            case "pos" -> {
                ids.add(IdentityInput.of("pos_member_no", "POS" + code(p, 10)));
                ids.add(IdentityInput.of("phone", phone));
                attrs.put("preferredStore", STORES[r.nextInt(STORES.length)]);
                // stores greet members by surname; the full real name is kept only encrypted
                String salutation = realName.substring(0, 1) + (female ? "女士" : "先生");
                yield new Touch(at, p, ids, new CustomerTraits(salutation, null, realName, gender, birthday, place[0],
                        place[1], null, "pos", attrs), -1);
            }
            default -> {
                ids.add(IdentityInput.of("external_id", "U" + (100_000 + p)));
                ids.add(IdentityInput.of("anonymous_id", r.nextDouble() < 0.03 ? "undefined" : "anon-" + code(p, 16)));
                if (r.nextBoolean()) {
                    ids.add(IdentityInput.of("phone", phone));
                } else {
                    ids.add(IdentityInput.of("email", "user" + p + "@example.com"));
                }
                yield new Touch(at, p, ids, traits("web", nickname, null, null, null, null, null, attrs), -1);
            }
        };
    }

    private static CustomerTraits traits(String source, String nickname, String realName, String gender, LocalDate birthday,
            String[] place, String avatar, Map<String, Object> attrs) {
        return new CustomerTraits(realName != null ? realName : nickname, nickname, realName, gender, birthday,
                place == null ? null : place[0], place == null ? null : place[1], avatar, source, attrs);
    }

    /** A deterministic pseudo-random identifier body for person {@code p}. */
    private String code(int p, int length) {
        SplittableRandom r = new SplittableRandom(seed ^ (p * 0x9E3779B97F4A7C15L) ^ length);
        String alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            sb.append(alphabet.charAt(r.nextInt(alphabet.length())));
        }
        return sb.toString();
    }

    static OffsetDateTime defaultEnd(java.time.Clock clock) {
        return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC).truncatedTo(java.time.temporal.ChronoUnit.HOURS);
    }
}
