/**
 * Demo data: a deterministic, believable mother-and-baby brand (customers reaching the brand
 * through WeCom, the mini program, the official account, stores and the web, with overlaps that
 * exercise identity resolution, and staff who own them), loaded on first start.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Demo data")
package io.siyu.demo;
