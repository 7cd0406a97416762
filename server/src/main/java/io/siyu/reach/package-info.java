/**
 * Channel reach: on which channels a customer can be reached — WeCom friend of which staff member,
 * member of which WeCom customer group, follower of which official account. The WeCom and
 * official-account integrations write it as their callbacks and syncs report changes; every change
 * is appended to the event log as a system event, and segment conditions read it.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Reach")
package io.siyu.reach;
