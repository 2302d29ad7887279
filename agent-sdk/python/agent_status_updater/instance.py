"""One worker per agent (the TypeScript SDK's instance.ts): each run of a worker is an instance with an id of its
own, sent with every report. The database records the instance that holds the agent, like a lease, and THE
NEWER INSTANCE WINS: a new instance (instance_new, sent until its first answer) takes the agent over; an
older one learns from an answer naming another holder that it must stand down (docs/running-agents.md).
"""
import uuid


def new_instance_id():
    return str(uuid.uuid4())


class Instance:
    def __init__(self, instance_id=None):
        self.id = instance_id or new_instance_id()
        self._info = None
        self._answered = False

    def tag(self, info):
        """What every report carries: ``info`` (a dict, changed in place: the reporter reads it at send time)."""
        self._info = info
        info["instance_id"] = self.id
        info["instance_new"] = True
        return info

    def displaced_by(self, answer):
        """An answer arrived: True when another instance holds the agent, so this one must stand down.

        Called on the reporter's thread, before it sends the next report: that one no longer says instance_new.
        """
        if not self._answered and self._info is not None:
            self._answered = True
            self._info.pop("instance_new", None)
        # An answer without a holder (older backends, fakes) never displaces anyone.
        return isinstance(answer.instance_id, str) and answer.instance_id != self.id

    def exiting(self):
        """The final report of a clean exit lets go of the agent."""
        if self._info is not None:
            self._info["instance_exiting"] = True
