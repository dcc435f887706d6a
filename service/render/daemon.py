"""The lines `huanjie daemon` prints (service/daemon.py)."""

from __future__ import annotations

import time
from typing import Any


def started_line(pid: int, idle_minutes: float, verbs: list[str]) -> str:
    return (f"后台进程已启动(进程号{pid}):{'、'.join(verbs)} 今后在其中运行,已求解的基准方案留作再用;"
            f"空闲{idle_minutes:g}分钟后自动退出,或用 huanjie daemon stop 停止")


def already_line(pid: int) -> str:
    return f"后台进程已在运行(进程号{pid});huanjie daemon status 查看,huanjie daemon stop 停止"


def stopped_line(pid: int) -> str:
    return f"后台进程已停止(进程号{pid});命令今后各自运行"


def not_running_line() -> str:
    return "没有运行中的后台进程;huanjie daemon start 启动"


def status_lines(status: dict[str, Any], current: bool) -> list[str]:
    """`current`: it runs this checkout's code as it is now (else the next command stops it)."""
    up = max(0, int(time.time() - status["started"]))
    code = ("代码:与本目录一致" if current else
            "代码:启动后已更改,下一条命令将使其停止并各自运行;huanjie daemon start 启动新的后台进程")
    return [f"后台进程运行中(进程号{status['pid']}),已运行{up // 3600}时{up % 3600 // 60}分{up % 60}秒",
            f"已执行命令:{status['served']}条;保留的基准方案:{status['bases']}个(共求解{status['built']}个)",
            code, f"套接字:{status['socket']}"]
