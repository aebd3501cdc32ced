"""The countries `sheetcrm init --country` knows: data only, light enough for the CLI."""

# Per country, for `init --country`: its clock, money and how its staff type dates and
# amounts; the language still gives the sheets' words and the placeholder shop name.
# (time zone, currency, day first, decimal comma)
COUNTRY_MARKETS = {
    "CN": ("Asia/Shanghai", "CNY", "false", "false"),
    "TW": ("Asia/Taipei", "TWD", "false", "false"),
    "HK": ("Asia/Hong_Kong", "HKD", "true", "false"),
    "MO": ("Asia/Macau", "MOP", "true", "false"),
    "SG": ("Asia/Singapore", "SGD", "true", "false"),
    "ES": ("Europe/Madrid", "EUR", "true", "true"),
    "MX": ("America/Mexico_City", "MXN", "true", "false"),
    "AR": ("America/Argentina/Buenos_Aires", "ARS", "true", "true"),
    "CO": ("America/Bogota", "COP", "true", "true"),
    "CL": ("America/Santiago", "CLP", "true", "true"),
    "PE": ("America/Lima", "PEN", "true", "false"),
    "US": ("America/New_York", "USD", "false", "false"),
    "GB": ("Europe/London", "GBP", "true", "false"),
    "CA": ("America/Toronto", "CAD", "false", "false"),
    "AU": ("Australia/Sydney", "AUD", "true", "false"),
}
COUNTRIES = tuple(COUNTRY_MARKETS)
