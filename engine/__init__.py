"""Otklik's process engine: the only package that imports SpiffWorkflow.

Parsing and deploy-time validation of BPMN/DMN, a sandboxed script engine, a fake-clock
aware runtime boundary (ProcessRun) and the serializer. No Flask, no database, no queue.
"""

from engine.contracts import decision_against_processes, process_against_decisions, process_against_operations
from engine.diff import DiagramDiff, ElementChange, ElementSummary, SpecChanges, diff_diagrams, diff_specs
from engine.dmn_values import RuleOutput, read_rule_outputs
from engine.errors import (
    DiagramInvalid,
    EngineError,
    Issue,
    ScriptError,
    ScriptRefused,
    ScriptTimeout,
    WorkflowError,
)
from engine.interface import (
    DecisionOutputs,
    OperationInterface,
    ProcessNeeds,
    read_decision_outputs,
    read_process_needs,
)
from engine.layout import with_diagram
from engine.migration import MigrationPlan, MigrationRefused, migrate, plan_migration
from engine.model import DiagramInfo, MessageWait, ProcessSpec, TimerInfo, UserTaskInfo
from engine.run import ProcessRun
from engine.script_engine import Services
from engine.spec import build_spec, element_name, load_spec
from engine.validation import inspect_diagram

__all__ = [
    "element_name",
    "RuleOutput",
    "read_rule_outputs",
    "DecisionOutputs",
    "OperationInterface",
    "ProcessNeeds",
    "decision_against_processes",
    "process_against_decisions",
    "process_against_operations",
    "read_decision_outputs",
    "read_process_needs",
    "DiagramDiff",
    "ElementChange",
    "ElementSummary",
    "MigrationPlan",
    "MigrationRefused",
    "SpecChanges",
    "diff_diagrams",
    "diff_specs",
    "migrate",
    "plan_migration",
    "with_diagram",
    "DiagramInfo",
    "DiagramInvalid",
    "EngineError",
    "Issue",
    "MessageWait",
    "ProcessRun",
    "ProcessSpec",
    "ScriptError",
    "ScriptRefused",
    "ScriptTimeout",
    "Services",
    "TimerInfo",
    "UserTaskInfo",
    "WorkflowError",
    "build_spec",
    "inspect_diagram",
    "load_spec",
]
