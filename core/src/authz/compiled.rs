//! Policies ready to evaluate: each one's condition (scope and body as one expression) built
//! once when the directory loads, instead of on every request as Cedar's authorizer does, and
//! evaluated with Cedar's own evaluator. `authorize_unsliced` keeps Cedar's authorizer, and the
//! property tests compare the two.

use cedar_policy::{ActionConstraint, Policy, PolicySet, PrincipalConstraint, ResourceConstraint};
use cedar_policy_core::ast::{
    self, BinaryOp, Effect, Expr, ExprKind, Literal, SlotEnv, Value, ValueKind, Var,
};
use cedar_policy_core::evaluator::Evaluator;
use std::sync::Arc;

/// One policy with its condition built.
#[derive(Debug)]
pub(crate) struct CompiledPolicy {
    /// The policy id as written (`orgkit.role.admin`), not escaped.
    pub(crate) id: String,
    pub(crate) effect: Effect,
    condition: Expr,
    slots: SlotEnv,
}

impl CompiledPolicy {
    /// The policy with its whole condition, as Cedar's authorizer evaluates it.
    pub(crate) fn new(policy: &Policy) -> Self {
        let core: &ast::Policy = policy.as_ref();
        Self::with_condition(core, core.condition())
    }

    fn with_condition(core: &ast::Policy, condition: Expr) -> Self {
        Self {
            id: AsRef::<str>::as_ref(core.id()).to_string(),
            effect: core.effect(),
            condition,
            slots: core.env().clone(),
        }
    }

    /// The policy with the parts of its condition that `known` establishes left out: what the
    /// global index evaluates for the requests it selects the policy for. Leaving out a part
    /// that is true changes no answer (each part is a side-effect-free boolean test), and the
    /// property tests compare the outcome with Cedar's authorizer on the whole condition.
    pub(crate) fn given(policy: &Policy, known: &Known<'_>) -> Self {
        let core: &ast::Policy = policy.as_ref();
        let mut parts = Vec::new();
        if !(known.principal_type
            && matches!(policy.principal_constraint(), PrincipalConstraint::Is(_)))
        {
            parts.push(core.principal_constraint().as_expr());
        }
        if !(known.action && matches!(policy.action_constraint(), ActionConstraint::In(_))) {
            parts.push(core.action_constraint().as_expr());
        }
        if !matches!(policy.resource_constraint(), ResourceConstraint::Any) {
            parts.push(core.resource_constraint().as_expr());
        }
        if let Some(body) = core.non_scope_constraints() {
            let mut conjuncts = Vec::new();
            flatten_and(body, &mut conjuncts);
            parts.extend(
                conjuncts
                    .into_iter()
                    .filter(|part| !known.establishes(part))
                    .cloned(),
            );
        }
        let condition = parts
            .into_iter()
            .rev()
            .reduce(|rest, part| Expr::and(part, rest))
            .unwrap_or_else(|| Expr::val(true));
        Self::with_condition(core, condition)
    }

    /// Whether the policy is satisfied by the evaluator's request, or Cedar's evaluation error
    /// as Cedar prints it.
    pub(crate) fn satisfied(&self, eval: &Evaluator<'_>) -> Result<bool, String> {
        match eval.interpret(&self.condition, &self.slots) {
            Ok(Value {
                value: ValueKind::Lit(Literal::Bool(satisfied)),
                ..
            }) => Ok(satisfied),
            // A condition is `&&` of scope and body, which Cedar types as a boolean.
            Ok(other) => Err(format!("the condition gave `{other}`, not a boolean")),
            Err(error) => Err(error.to_string()),
        }
    }
}

/// What the global index checks before it selects a policy for a request.
#[derive(Debug, Default)]
pub(crate) struct Known<'a> {
    /// The principal's type (the policy's `principal is T`).
    pub(crate) principal_type: bool,
    /// The action (the policy's `action in [...]`, with the schema's action groups).
    pub(crate) action: bool,
    /// `context.membership.status == "<status>"`.
    pub(crate) status: Option<&'a str>,
    /// `context.membership.builtin_roles.contains("<role>")`.
    pub(crate) role: Option<&'a str>,
}

impl Known<'_> {
    /// Whether `part` is one of the membership tests this knowledge makes true.
    fn establishes(&self, part: &Expr) -> bool {
        let ExprKind::BinaryApp { op, arg1, arg2 } = part.expr_kind() else {
            return false;
        };
        let (ExprKind::GetAttr { expr, attr }, ExprKind::Lit(Literal::String(value))) =
            (arg1.expr_kind(), arg2.expr_kind())
        else {
            return false;
        };
        let ExprKind::GetAttr {
            expr: record,
            attr: membership,
        } = expr.expr_kind()
        else {
            return false;
        };
        if membership != "membership" || !matches!(record.expr_kind(), ExprKind::Var(Var::Context))
        {
            return false;
        }
        match (op, attr.as_str()) {
            (BinaryOp::Eq, "status") => self.status == Some(value.as_str()),
            (BinaryOp::Contains, "builtin_roles") => self.role == Some(value.as_str()),
            _ => false,
        }
    }
}

/// The operands of `expr`'s top-level `&&`s, in evaluation order.
fn flatten_and<'e>(expr: &'e Expr, into: &mut Vec<&'e Expr>) {
    match expr.expr_kind() {
        ExprKind::And { left, right } => {
            flatten_and(left, into);
            flatten_and(right, into);
        }
        _ => into.push(expr),
    }
}

/// Every policy of a set, compiled, in id order.
pub(crate) fn compile(set: &PolicySet) -> Arc<[Arc<CompiledPolicy>]> {
    let mut policies: Vec<Arc<CompiledPolicy>> = set
        .policies()
        .map(|p| Arc::new(CompiledPolicy::new(p)))
        .collect();
    policies.sort_by(|a, b| a.id.cmp(&b.id));
    policies.into()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::authz::config::{parse_policies, BASE_POLICIES};

    fn base_policy(id: &str) -> Policy {
        parse_policies(BASE_POLICIES, "")
            .expect("the base pack parses")
            .into_iter()
            .find(|p| p.id().to_string() == id)
            .expect("the base pack has the policy")
    }

    #[test]
    fn what_the_index_establishes_is_left_out() {
        let policy = base_policy("orgkit.role.admin");
        let known = Known {
            principal_type: true,
            action: true,
            status: Some("active"),
            role: Some("admin"),
        };
        let given = CompiledPolicy::given(&policy, &known);
        assert_eq!(
            given.condition.to_string(),
            "resource in context.active_org"
        );
    }

    #[test]
    fn nothing_is_left_out_without_knowledge() {
        let policy = base_policy("orgkit.role.admin");
        let given = CompiledPolicy::given(&policy, &Known::default());
        let text = given.condition.to_string();
        for part in [
            "principal is Orgkit::User",
            "action in [Orgkit::Action::\"role.admin\"]",
            "context.membership.status == \"active\"",
            "context.membership.builtin_roles.contains(\"admin\")",
            "resource in context.active_org",
        ] {
            assert!(text.contains(part), "`{part}` is missing from {text}");
        }
    }

    #[test]
    fn other_tests_and_other_values_stay() {
        // Known status `active` does not make `status == "invited"` true, and the body's own
        // test of the action (not the scope's) stays.
        let policy = base_policy("orgkit.invited.only_accept");
        let known = Known {
            principal_type: true,
            action: true,
            status: Some("active"),
            role: None,
        };
        let text = CompiledPolicy::given(&policy, &known).condition.to_string();
        assert!(text.contains("== \"invited\""), "{text}");
        assert!(text.contains("invitation.accept"), "{text}");
        assert!(!text.contains("principal is"), "{text}");
    }
}
