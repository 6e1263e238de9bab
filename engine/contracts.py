"""Interface checks between processes, decision tables and operations (see engine.interface).

Each function compares one side with what the other side declares and returns Issues worded for a
process designer, naming both files and the elements on both sides.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from engine.errors import Issue
from engine.interface import DecisionCall, DecisionOutputs, OperationInterface, ProcessNeeds, Read


def _needed(needs: ProcessNeeds, call: DecisionCall, known: frozenset[str]) -> dict[str, list[Read]]:
    """The names the process reads that the decision gives (or gave) and has no declared default for."""
    return {name: reads for name, reads in sorted(needs.reads.items())
            if name in known and name not in call.defaults}


def _where(read: Read) -> str:
    return f"{read.element_id} (строка {read.line})" if read.line else read.element_id


def process_against_decisions(needs: ProcessNeeds, current: Mapping[str, DecisionOutputs],
                              known: Mapping[str, frozenset[str]]) -> list[Issue]:
    """A process (the candidate) reads outputs the current decision tables do not give."""
    issues = []
    for call in needs.decisions:
        table = current.get(call.decision_id)
        if table is None:
            continue  # not deployed yet: the bundle is built once it is
        for name, reads in _needed(needs, call, known.get(call.decision_id, frozenset()) | table.outputs).items():
            if name in table.outputs:
                continue
            first = reads[0]
            issues.append(Issue(
                f"{needs.filename}: задача {first.element_id} читает «{name}», но {table.filename} "
                f"(решение {call.decision_id}) его не даёт; добавьте в таблицу выход «{name}» или объявите "
                f"значение по умолчанию (свойство outputDefaults) на задаче {call.element_id}",
                first.element_id, first.line, needs.filename))
    return issues


def decision_against_processes(table: DecisionOutputs, processes: Iterable[ProcessNeeds],
                               known: frozenset[str]) -> list[Issue]:
    """A decision table (the candidate) no longer gives an output a current process reads."""
    issues = []
    for needs in processes:
        for call in needs.decisions:
            if call.decision_id != table.decision_id:
                continue
            for name, reads in _needed(needs, call, known).items():
                if name in table.outputs:
                    continue
                issues.append(Issue(
                    f"{table.filename} больше не даёт «{name}», а {needs.filename} читает его в задаче "
                    f"{_where(reads[0])}; верните выход «{name}» или объявите для него значение по умолчанию "
                    f"(свойство outputDefaults) на задаче {call.element_id} в {needs.filename}",
                    table.element_id, table.line, table.filename))
    return issues


def _writers(needs: ProcessNeeds) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for site in needs.services:
        if site.result_variable:
            found.setdefault(site.result_variable, []).append(site.operation)
    return found


def process_against_operations(needs: ProcessNeeds, operations: Mapping[str, OperationInterface | None]) -> list[Issue]:
    """Service tasks call operations that exist, with the parameters they take, and read keys they return."""
    issues = []
    for site in needs.services:
        if site.operation not in operations:
            issues.append(Issue(f"{needs.filename}: задача {site.element_id} вызывает операцию «{site.operation}», "
                                "которой нет в приложении", site.element_id, site.line, needs.filename))
            continue
        declared = operations[site.operation]
        if declared is None:
            continue
        for name in sorted(declared.required - set(site.params)):
            issues.append(Issue(f"{needs.filename}: задача {site.element_id} не передаёт операции «{site.operation}» "
                                f"обязательный параметр «{name}»", site.element_id, site.line, needs.filename))
        for name in sorted(set(site.params) - declared.required - declared.optional):
            issues.append(Issue(f"{needs.filename}: операция «{site.operation}» не принимает параметр «{name}» "
                                f"(задача {site.element_id})", site.element_id, site.line, needs.filename))
    issues += _result_key_issues(needs, operations)
    return issues


def _result_key_issues(needs: ProcessNeeds, operations: Mapping[str, OperationInterface | None]) -> list[Issue]:
    issues = []
    for variable, writers in sorted(_writers(needs).items()):
        declared = [operations.get(op) for op in writers]
        if not all(d is not None and d.result_keys is not None for d in declared):
            continue  # some writer is unknown or does not declare its result: nothing to compare with
        given = frozenset().union(*(d.result_keys for d in declared if d is not None and d.result_keys is not None))
        for key, reads in sorted(needs.keys_read.get(variable, {}).items()):
            if key not in given:
                first = reads[0]
                issues.append(Issue(
                    f"{needs.filename}: задача {first.element_id} читает {variable}['{key}'], но операция "
                    f"«{'», «'.join(sorted(set(writers)))}» такого ключа не возвращает "
                    f"(есть: {', '.join(sorted(given)) or 'ничего'})", first.element_id, first.line, needs.filename))
    return issues
