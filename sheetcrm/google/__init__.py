"""The Google Sheets backend: the same job on a shared Google Sheet (gspread + google-auth)."""
