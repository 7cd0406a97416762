package io.siyu.wecom.internal;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import me.chanjar.weixin.common.error.WxErrorException;
import me.chanjar.weixin.cp.api.WxCpService;
import me.chanjar.weixin.cp.api.impl.WxCpServiceApacheHttpClientImpl;
import me.chanjar.weixin.cp.bean.external.WxCpUserExternalGroupChatInfo;
import me.chanjar.weixin.cp.bean.external.WxCpUserExternalGroupChatList;
import me.chanjar.weixin.cp.bean.external.contact.WxCpExternalContactBatchInfo;
import me.chanjar.weixin.cp.config.impl.WxCpDefaultConfigImpl;

/** {@link WecomApi} through WxJava's WeCom client (access token fetched and cached by WxJava). */
class WxJavaWecomApi implements WecomApi {

    /** WeCom's "invalid group id": the group is unknown or was dismissed. */
    static final int INVALID_GROUP_ID = 40050;
    private static final int PAGE = 1000;

    private final WxCpService service;

    WxJavaWecomApi(WecomSettings settings) {
        WxCpDefaultConfigImpl config = config(settings);
        WxCpServiceApacheHttpClientImpl service = new WxCpServiceApacheHttpClientImpl();
        service.setWxCpConfigStorage(config);
        service.setMaxRetryTimes(2);
        this.service = service;
    }

    /** WxJava's configuration from Siyu's: also what the callback crypto reads. */
    static WxCpDefaultConfigImpl config(WecomSettings settings) {
        WxCpDefaultConfigImpl config = new WxCpDefaultConfigImpl();
        config.setCorpId(settings.corpId());
        config.setCorpSecret(settings.secret());
        config.setToken(settings.token());
        config.setAesKey(settings.aesKey());
        config.setBaseApiUrl(settings.baseUrl());
        return config;
    }

    @Override
    public Optional<GroupChat> groupChat(String chatId) {
        WxCpUserExternalGroupChatInfo info;
        try {
            info = service.getExternalContactService().getGroupChat(chatId, 1);
        } catch (WxErrorException e) {
            if (e.getError() != null && e.getError().getErrorCode() == INVALID_GROUP_ID) {
                return Optional.empty();
            }
            throw failure(e);
        } catch (RuntimeException e) {
            throw new WecomException(-1, "WeCom groupchat/get failed: " + e.getMessage(), e);
        }
        WxCpUserExternalGroupChatInfo.GroupChat chat = info.getGroupChat();
        List<Member> members = chat.getMemberList() == null ? List.of() : chat.getMemberList().stream()
                .map(m -> new Member(m.getUserId(), m.getType(), blankToNull(m.getUnionId()), time(m.getJoinTime())))
                .toList();
        return Optional.of(new GroupChat(chat.getChatId(), chat.getName(), chat.getOwner(), chat.getNotice(),
                time(chat.getCreateTime()), members));
    }

    @Override
    public ChatPage groupChats(String cursor) {
        try {
            WxCpUserExternalGroupChatList list = service.getExternalContactService().listGroupChat(PAGE, cursor, 0, null);
            List<String> ids = list.getGroupChatList() == null ? List.of()
                    : list.getGroupChatList().stream().map(WxCpUserExternalGroupChatList.ChatStatus::getChatId).toList();
            return new ChatPage(ids, blankToNull(list.getNextCursor()));
        } catch (WxErrorException e) {
            throw failure(e);
        } catch (RuntimeException e) {
            throw new WecomException(-1, "WeCom groupchat/list failed: " + e.getMessage(), e);
        }
    }

    @Override
    public List<String> contactStaff() {
        try {
            List<String> ids = service.getExternalContactService().listFollowers();
            return ids == null ? List.of() : ids;
        } catch (WxErrorException e) {
            throw failure(e);
        } catch (RuntimeException e) {
            throw new WecomException(-1, "WeCom get_follow_user_list failed: " + e.getMessage(), e);
        }
    }

    @Override
    public ContactPage contacts(String staffUserId, String cursor) {
        try {
            WxCpExternalContactBatchInfo page = service.getExternalContactService()
                    .getContactDetailBatch(new String[] {staffUserId}, cursor, 100);
            List<Contact> contacts = page.getExternalContactList() == null ? List.of()
                    : page.getExternalContactList().stream()
                            .filter(c -> c.getExternalContact() != null && c.getExternalContact().getExternalUserId() != null)
                            .map(c -> new Contact(c.getExternalContact().getExternalUserId(),
                                    blankToNull(c.getExternalContact().getUnionId()),
                                    c.getFollowInfo() == null ? null : time(c.getFollowInfo().getCreateTime())))
                            .toList();
            return new ContactPage(contacts, blankToNull(page.getNextCursor()));
        } catch (WxErrorException e) {
            throw failure(e);
        } catch (RuntimeException e) {
            throw new WecomException(-1, "WeCom batch/get_by_user failed: " + e.getMessage(), e);
        }
    }

    private static WecomException failure(WxErrorException e) {
        int code = e.getError() == null ? -1 : e.getError().getErrorCode();
        return new WecomException(code, "WeCom answered " + code + ": "
                + (e.getError() == null ? e.getMessage() : e.getError().getErrorMsg()), e);
    }

    private static OffsetDateTime time(Long epochSeconds) {
        return epochSeconds == null || epochSeconds <= 0 ? null
                : OffsetDateTime.ofInstant(Instant.ofEpochSecond(epochSeconds), ZoneOffset.UTC);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
