/**
 * Imports: customers and historic orders from CSV and Excel files, run as jobs. Rows are validated
 * one by one; valid rows are imported through the customer and event modules, refused ones are
 * reported with row, column and a localised message. Running the same file again changes nothing.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Imports")
package io.siyu.imports;
