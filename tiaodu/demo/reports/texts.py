"""What the demo's reporters write: physical progress, next period's plan, problems and the
dispatchers' reasons for returning a report, as sites write them (in Chinese, as data)."""

import random
from datetime import date

# What a project not yet started writes: with procedures still pending, or all done.
BEFORE_START_PENDING = (
    "完成项目可行性研究报告编制，正在办理用地手续",
    "环评、能评手续办理中，预计下期具备开工条件",
    "正在办理建设工程规划许可证，同步开展施工图审查",
)
BEFORE_START_READY = (
    "施工图设计完成{pct}%，正在组织施工招标",
    "正在进行场地平整和临时设施建设，施工单位已进场准备",
)
BUILDING = (
    "主体结构施工至第{floor}层，累计完成土建工程量的{pct}%",
    "完成桩基施工{piles}根，正在进行承台和地梁浇筑",
    "钢结构吊装完成{pct}%，设备基础施工中",
    "完成道路路基{metres}米、雨污水管网{pipes}米",
    "二次结构砌筑与机电安装交叉施工，外立面完成{pct}%",
    "完成土方开挖{earth}立方米，基坑支护施工中",
    "设备采购合同已签订{sets}台（套），其中{arrived}台（套）已进场安装",
    "室内装饰装修和消防工程施工中，完成工程量的{pct}%",
)
FINISHING = (
    "项目已竣工，正在办理竣工验收备案和决算审计",
    "竣工验收中发现的问题整改中，完善室外配套设施",
)
PRODUCING = ("项目已投产，生产线运行稳定，产能逐步释放",)
IDLE = (
    "受连续降雨影响，本期停工{days}天，未形成投资",
    "等待设计变更批复，本期暂停施工",
)
NEXT_PLAN = (
    "继续推进主体结构施工，确保按节点封顶",
    "加快设备安装调试，争取按期试生产",
    "完成剩余管网铺设，开展路面基层施工",
    "组织开展消防、规划等专项验收",
    "完成施工招标，落实施工单位进场",
    "推进外立面和室外工程施工",
)
NEXT_PLAN_PENDING = "加快办理施工许可，具备条件后立即开工"
PROBLEMS = (
    "施工用地征收尚有{households}户未签约，需属地街道协调",
    "电力增容手续办理进度滞后，影响设备调试",
    "受连续降雨影响，土方施工进度放缓",
    "钢材价格上涨，项目资金压力加大，需加快专项债券资金拨付",
)
PROBLEM_PENDING = "施工许可办理等待消防设计审查意见"
# The texts that say a procedure of the checklist is still pending: never written for a
# project whose checklist is done.
PROCEDURE_TEXTS = (*BEFORE_START_PENDING, NEXT_PLAN_PENDING, PROBLEM_PENDING)
RETURN_REASONS = (
    "本期完成投资与形象进度不符，请核实后重新填报",
    "未上传本期施工现场照片，请补充后重新提交",
    "形象进度描述过于简单，请写明本期完成的具体工程量",
    "施工人数与上期差异较大，请核实",
)
AMENDED = "（更正：核实后调整本期完成投资）"


def progress(
    rng: random.Random,
    *,
    started: bool,
    completed: bool,
    producing: bool,
    idle: bool,
    milestones: dict[str, date],
    procedures_pending: bool = True,
) -> str:
    """One period's physical progress, mentioning the milestones reached in it."""
    if producing:
        text = rng.choice(PRODUCING)
    elif completed:
        text = rng.choice(FINISHING)
    elif not started:
        text = rng.choice(
            BEFORE_START_PENDING + BEFORE_START_READY if procedures_pending else BEFORE_START_READY
        )
    elif idle:
        text = rng.choice(IDLE)
    else:
        text = rng.choice(BUILDING)
    text = text.format(
        pct=rng.randint(15, 95),
        floor=rng.randint(2, 28),
        piles=rng.randint(40, 600),
        metres=rng.randint(200, 3000),
        pipes=rng.randint(100, 2000),
        earth=rng.randint(2000, 80000),
        sets=(sets := rng.randint(6, 60)),
        arrived=rng.randint(1, sets),
        days=rng.randint(3, 8),
    )
    said = {
        "actual_start": "项目于{day}正式开工",
        "actual_completion": "项目于{day}竣工",
        "actual_production": "项目于{day}投产",
        "statistics_inclusion": "项目于{day}纳入固定资产投资统计",
    }
    news = [said[name].format(day=_day(day)) for name, day in milestones.items()]
    return "；".join([*news, text])


def next_plan(rng: random.Random, *, started: bool, procedures_pending: bool = True) -> str:
    if started:
        return rng.choice(NEXT_PLAN)
    return rng.choice((*NEXT_PLAN[4:], NEXT_PLAN_PENDING) if procedures_pending else NEXT_PLAN[4:])


def problem(rng: random.Random, *, procedures_pending: bool = True) -> str:
    chosen = (*PROBLEMS, PROBLEM_PENDING) if procedures_pending else PROBLEMS
    return rng.choice(chosen).format(households=rng.randint(2, 30))


def _day(day: date) -> str:
    return f"{day.month}月{day.day}日"
