/**
 * Customers: one profile per person across WeCom, WeChat, the mini program, phone, POS and the
 * brand's own ids; identity resolution that links and merges them; typed custom attributes; the
 * 360 view with merge history; erasure that leaves an anonymised tombstone.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Customer")
package io.siyu.customer;
