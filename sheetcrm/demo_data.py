"""Word lists for demo workbooks: names, places, products and notes that look real."""

CN_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余"
    "杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙"
    "史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
CN_GIVEN = (
    "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国志红玉梅波辉鹏飞宇浩然"
    "子涵欣怡梓轩雨婷佳琪晨阳思远嘉怡俊杰"
)
ES_FIRST = [
    "Lucía",
    "Sofía",
    "Martina",
    "María",
    "Julia",
    "Paula",
    "Valeria",
    "Emma",
    "Daniela",
    "Carla",
    "Alba",
    "Noa",
    "Olivia",
    "Hugo",
    "Martín",
    "Lucas",
    "Mateo",
    "Leo",
    "Daniel",
    "Alejandro",
    "Pablo",
    "Manuel",
    "Álvaro",
    "Adrián",
    "David",
    "Mario",
    "Javier",
    "José",
    "Carmen",
    "Ana",
    "Isabel",
    "Laura",
    "Cristina",
    "Marta",
    "Elena",
    "Raquel",
    "Pilar",
    "Antonio",
    "Francisco",
    "Juan",
]
ES_SURNAMES = [
    "García",
    "Rodríguez",
    "González",
    "Fernández",
    "López",
    "Martínez",
    "Sánchez",
    "Pérez",
    "Gómez",
    "Martín",
    "Jiménez",
    "Ruiz",
    "Hernández",
    "Díaz",
    "Moreno",
    "Muñoz",
    "Álvarez",
    "Romero",
    "Alonso",
    "Gutiérrez",
    "Navarro",
    "Torres",
    "Domínguez",
    "Vázquez",
    "Ramos",
    "Gil",
    "Ramírez",
    "Serrano",
    "Blanco",
    "Molina",
    "Morales",
    "Suárez",
    "Ortega",
    "Delgado",
]
CN_CITIES = {
    "北京市": ["朝阳区建国路", "海淀区中关村大街", "东城区王府井大街", "西城区金融街"],
    "上海市": ["浦东新区世纪大道", "徐汇区漕溪北路", "静安区南京西路", "黄浦区淮海中路"],
    "广州市": ["天河区天河路", "越秀区中山五路", "海珠区新港中路"],
    "深圳市": ["南山区科技园南路", "福田区深南大道", "罗湖区人民南路"],
    "杭州市": ["西湖区文三路", "上城区解放路", "滨江区江南大道"],
    "成都市": ["锦江区春熙路", "武侯区人民南路", "高新区天府大道"],
}
ES_CITIES = {
    "Madrid": ("28", ["Calle Mayor", "Calle de Alcalá", "Gran Vía", "Paseo de la Castellana"]),
    "Barcelona": ("08", ["Carrer de Balmes", "Passeig de Gràcia", "Carrer d'Aragó"]),
    "Valencia": ("46", ["Calle de Colón", "Avenida del Puerto", "Calle de la Paz"]),
    "Sevilla": ("41", ["Calle Sierpes", "Avenida de la Constitución", "Calle Betis"]),
}
CN_COMPANIES = ["华润置业", "海天贸易有限公司", "锦程物流", "星河科技", "绿源食品"]
ES_COMPANIES = [
    "Construcciones Ruiz S.L.",
    "Talleres Gómez",
    "Distribuciones del Sur",
    "Hotel Miramar",
    "Clínica Dental Sonrisa",
]
CN_PRODUCTS = ["空调 KFR-35GW", "冰箱 BCD-520", "洗衣机 XQG100", "热水器 JSQ30", "净水器 RO-600"]
ES_PRODUCTS = [
    "Aire acondicionado AC-3500",
    "Frigorífico FG-520",
    "Lavadora LV-8",
    "Caldera CB-24",
]
CN_NOTES = ["喜欢靠窗的座位", "下午方便接电话", "关注节能产品", "孩子在读大学", "喜欢喝普洱茶"]
ES_NOTES = ["prefiere llamadas por la tarde", "le gusta el fútbol", "tiene dos hijos"]
CN_SUMMARIES = [
    "介绍新款产品，客户有兴趣",
    "电话回访，使用情况良好",
    "上门保养服务",
    "客户询问价格",
    "投诉安装延误，已安排处理",
    "满意度调查",
    "节日问候",
]
ES_SUMMARIES = [
    "Visita de mantenimiento",
    "Llamada de seguimiento, todo bien",
    "Consulta de precios",
    "Queja por retraso en la entrega",
    "Encuesta de satisfacción",
]
CN_INTENTIONS = ["高", "中", "低"]
ES_INTENTIONS = ["alta", "media", "baja"]
CN_ROLES = ["销售", "客户经理", "店员"]
ES_ROLES = ["Comercial", "Gestor de cuentas", "Dependiente"]

# -- Taiwan (zh-Hant) ----------------------------------------------------------------------
TW_SURNAMES = (
    "陳林黃張李王吳劉蔡楊許鄭謝郭洪曾邱廖賴徐周葉蘇莊呂江何蕭羅高潘簡朱鍾游彭詹胡施沈"
    "余盧梁趙顏柯翁魏孫戴范方宋鄧杜傅侯曹薛丁卓馬董唐藍石蔣古紀姚連馮歐程湯田康姜白汪鄒"
)
TW_GIVEN = (
    "志明", "淑芬", "雅婷", "家豪", "俊傑", "怡君", "美玲", "宗翰", "承恩", "詩涵", "冠宇",
    "欣怡", "建宏", "佩君", "俊宏", "淑惠", "雅雯", "信宏", "依婷", "柏翰", "惠如", "冠廷",
    "美惠", "文雄", "麗華", "國華", "秀英", "嘉玲", "育誠", "心怡",
)  # fmt: skip
TW_CITIES = {
    "臺北市": ["大安區忠孝東路四段", "信義區松仁路", "中山區南京東路二段", "士林區中正路"],
    "新北市": ["板橋區文化路一段", "新莊區中正路", "永和區永和路二段"],
    "臺中市": ["西屯區臺灣大道三段", "北區三民路三段", "南屯區公益路二段"],
    "臺南市": ["東區東門路二段", "中西區民族路二段"],
    "高雄市": ["前鎮區中山二路", "苓雅區四維三路", "左營區博愛二路"],
}
TW_COMPANIES = ["永豐餐飲有限公司", "大同文具行", "新光牙醫診所", "長春企業社", "福德旅行社"]
TW_PRODUCTS = ["冷氣 RAS-36", "冰箱 NR-B480", "洗衣機 NA-V130", "除濕機 RD-360", "熱水器 GH-1205"]
TW_NOTES = ["喜歡下午來店", "偏好用LINE聯絡", "注重節能", "孩子在讀大學", "喜歡喝烏龍茶"]
TW_SUMMARIES = [
    "介紹新款產品，客戶有興趣",
    "電話回訪，使用狀況良好",
    "到府保養服務",
    "客戶詢問價格",
    "客訴安裝延誤，已安排處理",
    "滿意度調查",
    "節日問候",
]
TW_INTENTIONS = ["高", "中", "低"]
TW_ROLES = ["業務", "客戶經理", "門市人員"]

# -- United States (en) --------------------------------------------------------------------
US_FIRST = (
    "James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael", "Linda", "David",
    "Elizabeth", "William", "Barbara", "Richard", "Susan", "Joseph", "Jessica", "Thomas",
    "Sarah", "Charles", "Karen", "Emily", "Daniel", "Olivia", "Matthew", "Ashley", "Anthony",
    "Megan", "Brian", "Rachel", "Kevin",
)  # fmt: skip
US_SURNAMES = (
    "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Wilson",
    "Anderson", "Taylor", "Moore", "Jackson", "Martin", "Lee", "Thompson", "White", "Harris",
    "Clark", "Lewis", "Robinson", "Walker", "Young", "Allen", "King", "Wright", "Scott",
    "Green", "Baker", "Adams",
)  # fmt: skip
# City, state, ZIP prefix, area codes, streets.
US_CITIES = (
    ("Chicago", "IL", "606", ("312", "773"), ("N Clark St", "W Madison St", "S Michigan Ave")),
    ("Austin", "TX", "787", ("512", "737"), ("Congress Ave", "E 6th St", "Lamar Blvd")),
    ("Seattle", "WA", "981", ("206",), ("Pine St", "Rainier Ave S", "NE 45th St")),
    ("Boston", "MA", "021", ("617", "857"), ("Beacon St", "Tremont St", "Newbury St")),
    ("Denver", "CO", "802", ("303", "720"), ("Colfax Ave", "Larimer St", "S Broadway")),
)
US_COMPANIES = [
    "Acme Plumbing LLC",
    "Bright Dental Care",
    "Oak Street Bakery",
    "Summit Realty Group",
    "Lakeside Motors Inc.",
]
US_PRODUCTS = [
    "Air conditioner AC-3500",
    "Refrigerator RF-520",
    "Washing machine WM-8",
    "Water heater WH-30",
    "Dehumidifier DH-50",
]
US_NOTES = [
    "prefers e-mail to calls",
    "interested in the new models",
    "best reached after 5 pm",
    "two kids in college",
    "asks about energy-saving models",
]
US_SUMMARIES = [
    "Showed the new models; interested",
    "Follow-up call, all good",
    "Maintenance visit at home",
    "Asked about prices",
    "Complaint: late installation, rescheduled",
    "Satisfaction survey",
    "Holiday greeting",
]
US_INTENTIONS = ["high", "medium", "low"]
US_ROLES = ["Sales rep", "Account manager", "Store clerk"]
