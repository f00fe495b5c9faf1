"""Word lists of the demo city: places of Qingdao, people's names, company names.

Only data lives here; the generators that draw from it are in `people`, `templates` and
`generate`. Everything is invented for the demo except the place names.
"""

from dataclasses import dataclass

ROOT_CODE = "370200"  # 青岛市, from the national table
CITY_SHORT = "青"  # the abbreviation on the city's document numbers


@dataclass(frozen=True)
class Place:
    """A district (from the national table) or a functional zone of the demo city."""

    name: str
    code: str  # six digits for districts; "" for zones
    host_code: str  # the district a zone lies in (the division of its project codes)
    short: str  # 黄岛, 胶州, 高新区
    abbreviation: str  # on district document numbers: 黄发改审批〔2025〕12号
    longitude: float
    latitude: float
    radius: float  # degrees of longitude the projects spread over
    weight: int  # share of the city's projects
    towns: tuple[str, ...]
    roads: tuple[str, ...]
    rivers: tuple[str, ...] = ()
    is_zone: bool = False
    urban: bool = True


# fmt: off
PLACES: tuple[Place, ...] = (
    Place(
        "市南区", "370202", "370202", "市南", "南", 120.40, 36.07, 0.03, 4,
        ("八大关街道", "香港中路街道", "湛山街道", "金门路街道", "珠海路街道", "云南路街道"),
        ("香港中路", "南京路", "福州南路", "延安三路", "东海西路", "宁夏路"),
    ),
    Place(
        "市北区", "370203", "370203", "市北", "北", 120.37, 36.10, 0.03, 6,
        ("台东街道", "辽宁路街道", "浮山新区街道", "登州路街道", "合肥路街道", "四方街道"),
        ("辽宁路", "重庆南路", "杭州路", "哈尔滨路", "敦化路", "鞍山路"),
        ("海泊河", "昌乐河"),
    ),
    Place(
        "黄岛区", "370211", "370211", "黄岛", "黄", 120.02, 35.93, 0.18, 22,
        ("辛安街道", "薛家岛街道", "灵珠山街道", "长江路街道", "隐珠街道", "灵山卫街道",
         "王台镇", "泊里镇", "大场镇", "六汪镇", "张家楼街道", "琅琊镇"),
        ("长江路", "江山路", "嘉陵江路", "昆仑山路", "滨海大道", "前湾港路", "珠山路"),
        ("风河", "镰湾河", "白马河", "吉利河", "甜水河"),
    ),
    Place(
        "崂山区", "370212", "370212", "崂山", "崂", 120.53, 36.14, 0.06, 7,
        ("中韩街道", "沙子口街道", "王哥庄街道", "北宅街道", "金家岭街道"),
        ("松岭路", "株洲路", "深圳路", "秦岭路", "银川东路", "苗岭路"),
        ("张村河", "王哥庄河", "石人河"),
    ),
    Place(
        "李沧区", "370213", "370213", "李沧", "李", 120.43, 36.16, 0.03, 6,
        ("振华路街道", "兴城路街道", "李村街道", "虎山路街道", "九水街道", "楼山街道",
         "世园街道"),
        ("重庆中路", "黑龙江中路", "九水东路", "金水路", "青山路", "书院路"),
        ("李村河", "楼山河", "大村河"),
    ),
    Place(
        "城阳区", "370214", "370214", "城阳", "城", 120.40, 36.31, 0.06, 10,
        ("城阳街道", "流亭街道", "夏庄街道", "惜福镇街道", "棘洪滩街道", "上马街道"),
        ("长城路", "正阳路", "春阳路", "文阳路", "仙山路", "青威路"),
        ("白沙河", "墨水河", "桃源河", "洪江河"),
    ),
    Place(
        "即墨区", "370215", "370215", "即墨", "即", 120.45, 36.42, 0.15, 11,
        ("通济街道", "环秀街道", "潮海街道", "北安街道", "龙山街道", "鳌山卫街道",
         "温泉街道", "田横镇", "移风店镇", "大信镇", "蓝村街道", "金口镇"),
        ("烟青路", "鹤山路", "华山路", "蓝鳌路", "滨海公路", "振华街"),
        ("墨水河", "龙泉河", "五沽河", "大任河"),
    ),
    Place(
        "胶州市", "370281", "370281", "胶州", "胶", 120.02, 36.27, 0.12, 10,
        ("阜安街道", "中云街道", "三里河街道", "九龙街道", "胶东街道", "胶北街道",
         "李哥庄镇", "铺集镇", "洋河镇", "里岔镇"),
        ("扬州路", "兰州东路", "北京东路", "澳门路", "广州北路", "杭州路"),
        ("大沽河", "胶河", "洋河", "云溪河"),
        urban=False,
    ),
    Place(
        "平度市", "370283", "370283", "平度", "平", 119.95, 36.78, 0.18, 8,
        ("东阁街道", "李园街道", "同和街道", "凤台街道", "白沙河街道", "南村镇", "蓼兰镇",
         "崔家集镇", "明村镇", "田庄镇", "新河镇", "大泽山镇", "仁兆镇"),
        ("红旗路", "青岛路", "人民路", "胶平路", "常州路", "扬州路"),
        ("大沽河", "现河", "泽河", "小沽河", "南胶莱河"),
        urban=False,
    ),
    Place(
        "莱西市", "370285", "370285", "莱西", "莱", 120.52, 36.88, 0.12, 6,
        ("水集街道", "望城街道", "沽河街道", "姜山镇", "夏格庄镇", "院上镇", "日庄镇",
         "南墅镇", "店埠镇", "马连庄镇"),
        ("烟台路", "威海路", "石岛路", "黄海路", "长岛路", "重庆路"),
        ("大沽河", "小沽河", "五沽河"),
        urban=False,
    ),
    Place(
        "青岛高新技术产业开发区", "", "370214", "高新区", "高新", 120.28, 36.30, 0.03, 6,
        ("河套街道", "红岛街道", "上马街道"),
        ("锦业路", "宝源路", "汇智桥路", "华贯路", "火炬路", "聚贤桥路"),
        ("白沙河", "墨水河"),
        is_zone=True,
    ),
    Place(
        "中德生态园", "", "370211", "中德生态园", "中德", 120.00, 36.08, 0.02, 4,
        ("红石崖街道", "大村镇"),
        ("团结路", "康庄大道", "井冈山路", "双积路"),
        ("洋河",),
        is_zone=True,
    ),
)
# fmt: on

ZONE_NAMES = tuple(place.name for place in PLACES if place.is_zone)

# The bounding box the demo's coordinates stay in.
LONGITUDE_RANGE = (119.5, 121.0)
LATITUDE_RANGE = (35.6, 37.1)


def _pairs(text: str) -> tuple[str, ...]:
    return tuple(text[i : i + 2] for i in range(0, len(text), 2))


# Surnames, the common ones several times (draws are uniform over this tuple), with the
# names frequent on the Jiaodong peninsula.
SURNAMES = tuple(
    "王王王李李李张张张刘刘刘陈陈杨杨赵赵黄周吴徐孙孙马朱胡郭何高林罗郑梁谢宋宋唐许韩冯"
    "邓曹彭曾肖田董袁潘于于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜姜崔钟谭陆汪范金石廖贾夏付方"
    "白邹孟熊秦邱江尹薛闫段雷侯龙史陶贺顾毛郝龚邵万钱严武戴孔汤曲隋栾逄臧修衣矫纪"
)
GIVEN = tuple(
    dict.fromkeys(
        "建国明华伟强军平志勇杰涛斌磊鹏峰辉刚亮海波宁东文静丽敏霞娟燕芳红玲艳雪婷慧琳晓新春"
        "立永德学成光金荣庆祥振嘉子浩宇博晨欣雨思佳梦诗凯旭阳俊超健洪毅锋彬鑫瑞琦晶莉蕾倩"
        "颖洁婧丹萍兰梅秀英桂凤云卫民忠信义仁良世忠家彦昊哲铭轩睿泽涵悦璐薇蔚岩松柏林森"
    )
)

# Two-character trade names of invented companies.
BRANDS = _pairs(
    "海创蓝海金桥华通鼎盛瑞丰恒信泰和鲁海汇泽润泽宏达嘉禾远航凯旋永安东方百川中泰新华"
    "广源晟泰信达海晟海润海纳海川青云崇德德盛鸿运鼎新泓泰盈科睿智星河北辰方圆启航卓越"
    "融汇凯盛金海银海海容海泰华海盛海琴岛胶澳琅琊珠山灵山鳌山大沽云溪胶东齐鲁蔚蓝远洋"
    "明德致远博瑞天成安泰和信聚源同创恒瑞佳禾正泰海拓航宇中科汇川鑫源宝泽瀚海泰山国泰"
    "信和兴业华晨金辉瑞海智谷创新海岳澳柯万泽君合龙腾腾远沧海汇海新港海湾金沙银沙碧海"
    "青禾丰泽润禾天泰华盛晨曦长江黄海东岳隆盛裕丰德远盛泰众诚昊天博海中瑞汇通世纪恒达"
)

# What an industrial company says it makes, and a product for the "年产…" names.
TRADES = (
    "智能装备",
    "新能源科技",
    "生物科技",
    "电子科技",
    "汽车零部件",
    "新材料科技",
    "精密机械",
    "海洋科技",
    "食品",
    "医疗器械",
    "半导体",
    "信息技术",
    "智能制造",
    "化工",
)
PRODUCTS = (
    ("工业机器人", "台"),
    ("新能源汽车驱动电机", "台"),
    ("智能家电", "台"),
    ("风电齿轮箱", "台"),
    ("动力电池模组", "套"),
    ("轨道交通车辆配件", "套"),
    ("高端轮胎", "条"),
    ("医用防护用品", "件"),
    ("光伏组件", "片"),
    ("智能终端", "台"),
)

HOSPITALS = ("人民医院", "中医医院", "妇幼保健院", "第二人民医院", "中心医院", "口腔医院")
PORTS = {"黄岛区": ("前湾", "董家口", "黄岛"), "市北区": ("大港",)}
HIGHWAYS = (
    "沈海高速",
    "青兰高速",
    "青银高速",
    "龙青高速",
    "胶州湾高速",
    "新机场高速连接线",
    "董梁高速",
    "青新高速",
)
METRO_SECTIONS = ("一期工程", "二期工程", "北延段工程", "南延段工程", "支线工程")
PLANTS = ("团岛", "海泊河", "李村河", "麦岛", "娄山河", "泥布湾", "城区", "北部", "南部")
MOUNTAINS = ("浮山", "小珠山", "大泽山", "马山", "铁橛山", "三标山", "午山", "卧龙山")
PHASES = ("", "", "", "（一期）", "（二期）", "（三期）")
CHINESE_NUMBERS = ("一", "二", "三", "四", "五", "六", "七", "八", "九", "十")
DIRECTIONS = ("以东", "以西", "以南", "以北")

# The city's departments: (name, titles of its head and deputy).
BUREAU_TITLES = ("局长", "副局长")
COMMISSION_TITLES = ("主任", "副主任")
DEPARTMENTS = (
    "市发展和改革委员会",
    "市住房和城乡建设局",
    "市自然资源和规划局",
    "市生态环境局",
    "市交通运输局",
    "市工业和信息化局",
    "市水务管理局",
    "市行政审批服务局",
    "市教育局",
    "市卫生健康委员会",
    "市城市管理局",
    "市商务局",
    "市科学技术局",
    "市文化和旅游局",
    "市民政局",
    "市财政局",
)
DEVELOPMENT_COMMISSION = "市发展和改革委员会"
HOUSING_BUREAU = "市住房和城乡建设局"

# The city's leaders who are assigned projects (市级责任领导).
MUNICIPAL_LEADER_TITLES = (
    "常务副市长",
    *(["副市长"] * 8),
    *(["市人大常委会副主任"] * 3),
    *(["市政协副主席"] * 3),
)


def district_department(place: Place) -> str:
    """The development-and-reform bureau of a district, or the economic bureau of a zone."""
    if place.is_zone:
        return f"{place.short}经济发展局"
    return f"{place.name}发展和改革局"


def district_leader_title(place: Place) -> str:
    """A sponsoring leader's position in the district (副区长, 县级市的副市长, 管委会副主任)."""
    if place.is_zone:
        return f"{place.short}管委会副主任"
    if place.name.endswith("市"):
        return f"{place.name}副市长"
    return f"{place.name}副区长"


PLACES_BY_NAME = {place.name: place for place in PLACES}
# The districts by code (zones share their host district's code, so they are left out).
PLACES_BY_CODE = {place.code: place for place in PLACES if place.code}
