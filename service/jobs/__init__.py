"""Jobs run in a bounded pool of worker processes: `Supervisor` (in the server) claims
queued jobs from the database and hands each to an idle worker (`worker.serve`)."""

from service.jobs.supervisor import Supervisor

__all__ = ["Supervisor"]
