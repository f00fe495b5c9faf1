"""The accounts workbook: org units and accounts with their roles from Excel
(docs/administration.md, "Importing accounts and units from Excel")."""
