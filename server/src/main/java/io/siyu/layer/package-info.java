/**
 * Layering: RFM scoring with the two schemes operators know (quintile scores with named segments,
 * and the Chinese 8-class scheme from R, F, M above or below average). Layering policies and
 * contact policies come next, on the segment rule language.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Layer")
package io.siyu.layer;
