"""The providers' published addresses, the defaults of the channels' `base_url` settings.

Here, apart from the channels that call them: settings name them, and reading settings must
not load the HTTP, TLS and SMTP code a sync needs only when it sends by those channels.
"""

TWILIO_BASE_URL = "https://api.twilio.com"
WECOM_URL = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send"
DINGTALK_URL = "https://oapi.dingtalk.com/robot/send"
FEISHU_URL = "https://open.feishu.cn/open-apis/bot/v2/hook"  # Lark: open.larksuite.com
SLACK_URL = "https://hooks.slack.com/services"
