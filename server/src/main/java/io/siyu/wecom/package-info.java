/**
 * WeCom (企业微信): the callback endpoint with WeCom's message signature and encryption, and the
 * sync of customer groups, built on WxJava against WeCom's published server API. Friendships and
 * group memberships it learns of are recorded as channel relations ({@link io.siyu.reach}); the
 * WeCom API's base URL is configuration, so tests run against a local fake that follows the API.
 */
@org.springframework.modulith.ApplicationModule(displayName = "WeCom")
package io.siyu.wecom;
