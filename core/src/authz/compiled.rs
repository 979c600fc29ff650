//! Policies ready to evaluate: each one's condition (scope and body as one expression) built
//! once when the directory loads, instead of on every request as Cedar's authorizer does, and
//! evaluated with Cedar's own evaluator. `authorize_unsliced` keeps Cedar's authorizer, and the
//! property tests compare the two.

use cedar_policy::{Policy, PolicySet};
use cedar_policy_core::ast::{self, Effect, Expr, Literal, SlotEnv, Value, ValueKind};
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
    pub(crate) fn new(policy: &Policy) -> Self {
        let core: &ast::Policy = policy.as_ref();
        Self {
            id: AsRef::<str>::as_ref(core.id()).to_string(),
            effect: core.effect(),
            condition: core.condition(),
            slots: core.env().clone(),
        }
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

/// Every policy of a set, compiled, in id order.
pub(crate) fn compile(set: &PolicySet) -> Arc<[Arc<CompiledPolicy>]> {
    let mut policies: Vec<Arc<CompiledPolicy>> = set
        .policies()
        .map(|p| Arc::new(CompiledPolicy::new(p)))
        .collect();
    policies.sort_by(|a, b| a.id.cmp(&b.id));
    policies.into()
}
