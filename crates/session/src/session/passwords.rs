//! Passwords in the editor: the generator (its options remembered on this device), an entry's
//! rules, and the checks the editor shows before saving. The rules themselves are the library's.

use vault::company::{self, CompanyPolicy};
use vault::generate::{CharacterRecipe, Classes, PassphraseRecipe, PasswordRules, Recipe, RuleBreak};
use vault::health::{self, EntryContext};

use super::Session;
use crate::error::{self, Result, not_found};
use crate::view::*;

pub fn rules_from_view(view: &RulesView) -> Result<PasswordRules> {
    let rules = PasswordRules {
        min_length: view.min_length,
        max_length: view.max_length,
        symbols: view.symbols.clone(),
        required: Classes {
            lower: view.required.lower,
            upper: view.required.upper,
            digits: view.required.digits,
            symbols: view.required.symbols,
        },
    };
    rules.validate().map_err(|e| error::from_rules(&e))?;
    Ok(rules)
}

pub fn rules_view(rules: &PasswordRules) -> RulesView {
    RulesView {
        min_length: rules.min_length,
        max_length: rules.max_length,
        symbols: rules.symbols.clone(),
        required: RequiredKinds {
            lower: rules.required.lower,
            upper: rules.required.upper,
            digits: rules.required.digits,
            symbols: rules.required.symbols,
        },
    }
}

fn recipe(options: &GeneratorOptions) -> Recipe {
    match options.kind {
        GeneratorKind::Characters => Recipe::Characters(CharacterRecipe {
            length: options.length as usize,
            lower: options.lower,
            upper: options.upper,
            digits: options.digits,
            symbols: options.symbols.then(|| options.symbol_set.clone()),
            exclude_similar: options.exclude_similar,
        }),
        GeneratorKind::Passphrase => Recipe::Passphrase(PassphraseRecipe {
            words: options.words as usize,
            separator: options.separator.clone(),
            capitalise: options.capitalise,
            add_digit: options.add_digit,
        }),
    }
}

fn generated(recipe: &Recipe) -> Result<Generated> {
    generated_under(None, recipe)
}

/// A password by `recipe` raised to the company policy, if there is one.
fn generated_under(policy: Option<&CompanyPolicy>, recipe: &Recipe) -> Result<Generated> {
    let made = company::generate_under(policy, recipe).map_err(error::from_generate)?;
    Ok(Generated { password: made.password, entropy_bits: made.entropy_bits })
}

/// A password that follows a system's rules (which may not be saved yet).
pub fn generate_for_rules(rules: &RulesView) -> Result<Generated> {
    let recipe = rules_from_view(rules)?.recipe().map_err(|e| error::from_rules(&e))?;
    generated(&Recipe::Characters(recipe))
}

fn rule_break_view(broken: RuleBreak) -> RuleBreakView {
    match broken {
        RuleBreak::TooShort { min } => RuleBreakView::TooShort { min },
        RuleBreak::TooLong { max } => RuleBreakView::TooLong { max },
        RuleBreak::MissingLower => RuleBreakView::MissingLower,
        RuleBreak::MissingUpper => RuleBreakView::MissingUpper,
        RuleBreak::MissingDigit => RuleBreakView::MissingDigit,
        RuleBreak::MissingSymbol => RuleBreakView::MissingSymbol,
        RuleBreak::NotAllowed { character } => RuleBreakView::NotAllowed { character: character.to_string() },
    }
}

/// "https://login.example.com:8443/x" -> "login.example.com".
pub fn host(url: &str) -> &str {
    let url = url.trim();
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = &rest[..end];
    let host = authority.rsplit_once('@').map_or(authority, |(_, host)| host);
    host.split(':').next().unwrap_or(host)
}

/// The words an attacker tries first for this entry and this person.
pub fn user_inputs(title: &str, username: &str, urls: &[String], owner: &str, company: &str) -> Vec<String> {
    let mut inputs = vec![title.to_owned(), username.to_owned(), owner.to_owned(), company.to_owned()];
    inputs.extend(urls.iter().map(|u| host(u).to_owned()));
    inputs.retain(|s| !s.trim().is_empty());
    inputs
}

impl Session {
    /// The options of the last password generated on this device, or the defaults.
    pub fn generator_options(&self) -> GeneratorOptions {
        let options = self.desktop.generator.clone().unwrap_or_else(crate::desktop::default_generator);
        // Shown as the generator will make them: raised to the company policy.
        super::company::options_within(self.company_policy(), options)
    }

    /// A password that follows a system's rules, raised to the company policy as far as the
    /// system allows (see `vault::company::tighten_rules`).
    pub fn generate_for_rules_in_force(&self, rules: &RulesView) -> Result<Generated> {
        let rules = rules_from_view(rules)?;
        let rules = match self.company_policy() {
            Some(policy) => company::tighten_rules(policy, &rules),
            None => rules,
        };
        let recipe = rules.recipe().map_err(|e| error::from_rules(&e))?;
        generated(&Recipe::Characters(recipe))
    }

    /// Generates a password and remembers `options` on this device for next time.
    pub fn generate_password(&mut self, options: GeneratorOptions) -> Result<Generated> {
        let made = generated_under(self.company_policy(), &recipe(&options))?;
        if self.desktop.generator.as_ref() != Some(&options) {
            self.desktop.generator = Some(options);
            // Forgetting the choice is no reason to withhold the password.
            let _ = self.save_desktop();
        }
        Ok(made)
    }

    /// Strength (with the entry's and the owner's words), reuse across the vault and the
    /// entry's rules, for a password typed in the editor.
    pub fn check_password(&self, request: &PasswordCheckRequest) -> Result<PasswordCheck> {
        let vault = &self.unlocked()?.vault;
        let own_id = match &request.id {
            Some(id) => Some(id.parse::<vault::EntryId>().map_err(|_| not_found())?),
            None => None,
        };
        let settings = &vault.settings;
        let inputs = user_inputs(
            &request.title,
            &request.username,
            &request.urls,
            &settings.owner_name.value,
            &settings.company.value,
        );
        let strength = crate::tools::strength(request.password.expose(), &inputs);
        let context = EntryContext { title: &request.title, username: &request.username, urls: &request.urls };
        let mut issues: Vec<FindingDetail> = health::check_password(vault, own_id, request.password.expose(), &context)
            .into_iter()
            .map(|issue| super::report::detail_view(issue.detail))
            .collect();
        if let Some(broken) = self.company_policy().and_then(|p| p.check(request.password.expose())) {
            let missing = broken.missing.iter().map(|k| k.as_str().to_owned()).collect();
            issues.push(FindingDetail::Policy { too_short: broken.too_short, missing });
        }
        let (rule_breaks, rules_error) = match &request.rules {
            None => (Vec::new(), None),
            Some(view) => match rules_from_view(view) {
                Ok(rules) => (rules.check(request.password.expose()).into_iter().map(rule_break_view).collect(), None),
                Err(err) => (Vec::new(), Some(err.code)),
            },
        };
        Ok(PasswordCheck { strength, issues, rule_breaks, rules_error })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_come_out_of_urls() {
        assert_eq!(host("https://login.example.com:8443/x?y"), "login.example.com");
        assert_eq!(host("crm.example.com"), "crm.example.com");
        assert_eq!(host("http://li@erp.example.cn/#/login"), "erp.example.cn");
        assert_eq!(host(""), "");
    }
}
