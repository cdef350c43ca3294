"""Taking in chronologies that agencies keep in Excel, Word, OpenDocument and CSV files.

`reader.open_source` reads a file's tables within the caps of `limits`; `headings` finds the
heading row and maps its columns to entry fields; `rows` turns each row into a case-file entry
(or a problem that says where); `duplicates` finds rows that may record an entry already in
the case; `plan` ties these together into an `ImportPlan` the front ends show and the service
writes in one step; `template` writes the contribution form an agency fills in.
"""
