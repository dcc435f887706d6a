"""/metrics in the Prometheus text format (version 0.0.4), written by hand: jobs by
state, and the run time of ended jobs as a histogram."""

from __future__ import annotations

from service.store import Store

BUCKETS = (0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600)


def exposition(store: Store) -> str:
    lines = ["# HELP huanjie_jobs Jobs in the database by state.", "# TYPE huanjie_jobs gauge"]
    lines += [f'huanjie_jobs{{state="{state.value}"}} {n}' for state, n in store.jobs.by_state().items()]
    seconds = store.jobs.solve_seconds()
    lines += ["# HELP huanjie_job_solve_seconds Run time of the jobs that ran and ended.",
              "# TYPE huanjie_job_solve_seconds histogram"]
    for b in BUCKETS:
        lines.append(f'huanjie_job_solve_seconds_bucket{{le="{b}"}} {sum(1 for s in seconds if s <= b)}')
    lines += [f'huanjie_job_solve_seconds_bucket{{le="+Inf"}} {len(seconds)}',
              f"huanjie_job_solve_seconds_sum {sum(seconds):.6f}",
              f"huanjie_job_solve_seconds_count {len(seconds)}"]
    return "\n".join(lines) + "\n"
