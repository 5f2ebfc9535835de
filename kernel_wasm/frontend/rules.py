"""The subset's operator tables, refused constructs (with hints) and literal detection."""

from __future__ import annotations

import ast

ARITH = {ast.Add: "add", ast.Sub: "sub", ast.Mult: "mul", ast.FloorDiv: "div", ast.Mod: "mod",
         ast.LShift: "shl", ast.RShift: "shr", ast.BitAnd: "and", ast.BitOr: "or", ast.BitXor: "xor"}
CMP = {ast.Eq: "eq", ast.NotEq: "ne", ast.Lt: "lt", ast.LtE: "le", ast.Gt: "gt", ast.GtE: "ge"}
KIND = {"add": "overflow", "sub": "overflow", "mul": "overflow", "div": "division", "mod": "division",
        "shl": "shift", "shr": "shift"}

REFUSED_EXPR = {
    ast.Lambda: ("lambdas", "define a module-level function"),
    ast.SetComp: ("set comprehensions", "use a list and a loop"),
    ast.DictComp: ("dict comprehensions", "use a list of records"),
    ast.GeneratorExp: ("generator expressions (except in any()/all())", "use a list comprehension or a for loop"),
    ast.Dict: ("dicts", "use a list of records or durable storage"),
    ast.Set: ("sets", "use a list"),
    ast.JoinedStr: ("f-strings", "strings exist only as literal messages to abort()/assert"),
    ast.Await: ("await", "kernel code is synchronous"),
    ast.Yield: ("generators", "return a list"),
    ast.YieldFrom: ("generators", "return a list"),
    ast.NamedExpr: ("walrus assignments (:=)", "assign on a separate line"),
    ast.Starred: ("star expressions", "pass arguments explicitly"),
}
REFUSED_STMT = {
    ast.Try: ("try/except", "kernel code cannot catch failures: return an ok flag instead"),
    ast.Raise: ("raise", "call abort(\"message\") or return an ok flag"),
    ast.With: ("with", "call functions explicitly"),
    ast.Global: ("global", "pass state as parameters and return values; persist with store_write"),
    ast.Nonlocal: ("nonlocal", "pass state as parameters"),
    ast.FunctionDef: ("a nested function (closure)", "define the function at module level"),
    ast.ClassDef: ("a nested class", "define @dataclass records at module level"),
    ast.Delete: ("del", "overwrite the value instead"),
    ast.Import: ("an import inside a function", "import at module level"),
    ast.ImportFrom: ("an import inside a function", "import at module level"),
    ast.AsyncFunctionDef: ("an async function", "write a plain def"),
    ast.Match: ("match", "use if/elif/else"),
}


def is_literal(node: ast.expr) -> bool:
    """An integer expression made of literals only (it takes the type its context needs)."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, int) and not isinstance(node.value, bool)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        return is_literal(node.operand)
    if isinstance(node, ast.BinOp) and type(node.op) in ARITH:
        return is_literal(node.left) and is_literal(node.right)
    return False
