/**
 * Layering: RFM scoring with the two schemes operators know (quintile scores with named segments,
 * and the Chinese 8-class scheme from R, F, M above or below average), and layering policies —
 * ordered layers whose rules are written in the segment language (first match wins, plus a default
 * layer), each with a contact policy and benefits. {@link io.siyu.layer.Layers} tells other modules
 * which layer a customer is in and what that layer allows.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Layer")
package io.siyu.layer;
