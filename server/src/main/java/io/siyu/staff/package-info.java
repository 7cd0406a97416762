/**
 * Staff: the people (导购, 客服, 顾问) who own customer relationships, and which staff member owns
 * which customer. Ownership follows merges and is removed on erasure.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Staff")
package io.siyu.staff;
