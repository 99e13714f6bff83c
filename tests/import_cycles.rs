//! No import cycles between the modules of `src/`: a module (a file, or a folder's `mod.rs`)
//! depends on every module it names a path into (`use crate::a::b::Item`, an inline
//! `super::x::f()`, a child's `x::f()`), taken at the deepest module the path names; a `pub use`
//! re-export is the module's facade, not a dependency of it. The crate root, which declares
//! every module, is left out.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

type Module = Vec<String>;

/// Cycles known when this test was written, each to be broken by the change that owns its
/// files; an entry must go when its cycle does.
const KNOWN: &[&[&str]] = &[];

#[test]
fn modules_import_each_other_in_one_direction_only() {
    let sources = read_modules(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"));
    let modules: BTreeSet<Module> = sources.keys().cloned().collect();
    let graph: BTreeMap<Module, BTreeSet<Module>> = sources
        .iter()
        .map(|(module, text)| (module.clone(), dependencies(module, text, &modules)))
        .collect();
    let cycles: BTreeSet<Vec<String>> = cycles(&graph)
        .into_iter()
        .map(|cycle| cycle.iter().map(|module| module.join("::")).collect())
        .collect();
    let known: BTreeSet<Vec<String>> = KNOWN
        .iter()
        .map(|cycle| cycle.iter().map(|name| (*name).to_owned()).collect())
        .collect();

    let new: Vec<_> = cycles.difference(&known).collect();
    assert!(new.is_empty(), "modules that import each other: {new:#?}");
    let broken: Vec<_> = known.difference(&cycles).collect();
    assert!(
        broken.is_empty(),
        "no longer cycles, remove from KNOWN: {broken:?}"
    );
}

#[test]
fn a_cycle_through_a_parent_a_child_and_an_inline_path_is_found() {
    let modules: BTreeSet<Module> = [module("a"), module("a::b"), module("c")].into();
    let graph = BTreeMap::from([
        (
            module("a"),
            dependencies(&module("a"), "fn f() { b::g() }", &modules),
        ),
        (
            module("a::b"),
            dependencies(&module("a::b"), "use crate::c::{X, Y as Z};", &modules),
        ),
        (
            module("c"),
            dependencies(
                &module("c"),
                "pub use crate::a::f; // crate::a::b\nfn h() { super::a::f() }",
                &modules,
            ),
        ),
    ]);
    assert_eq!(
        cycles(&graph),
        vec![vec![module("a"), module("a::b"), module("c")]]
    );

    let facade_only = dependencies(
        &module("c"),
        "pub use crate::a::f;\nconst S: &str = \"crate::a\";",
        &modules,
    );
    assert!(facade_only.is_empty(), "{facade_only:?}");
}

fn module(name: &str) -> Module {
    name.split("::").map(str::to_owned).collect()
}

/// Every module's source, without its tests, keyed by its path from the crate root.
fn read_modules(root: &Path) -> BTreeMap<Module, String> {
    let mut modules = BTreeMap::new();
    let mut folders = vec![root.to_path_buf()];
    while let Some(folder) = folders.pop() {
        for entry in fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                folders.push(path);
                continue;
            }
            if path.extension().is_none_or(|extension| extension != "rs") {
                continue;
            }
            let relative = path.strip_prefix(root).unwrap().with_extension("");
            let mut name: Module = relative
                .iter()
                .map(|part| part.to_string_lossy().into_owned())
                .collect();
            if name.last().is_some_and(|last| last == "mod") {
                name.pop();
            }
            if name == ["lib"] || name == ["main"] {
                continue;
            }
            let text = fs::read_to_string(&path).unwrap();
            let code = text.split("#[cfg(test)]").next().unwrap_or_default();
            modules.insert(name, code.to_owned());
        }
    }
    modules
}

/// The code's words and punctuation, without comments, strings and characters.
fn tokens(code: &str) -> Vec<String> {
    let chars: Vec<char> = code.chars().collect();
    let mut tokens = Vec::new();
    let mut at = 0;
    while let Some(&c) = chars.get(at) {
        let next = chars.get(at + 1).copied();
        if c == '/' && next == Some('/') {
            at += chars[at..]
                .iter()
                .position(|&c| c == '\n')
                .unwrap_or(chars.len() - at);
        } else if c == '/' && next == Some('*') {
            at += code_end(&chars[at..], "*/");
        } else if c == '"' || (c == 'r' && matches!(next, Some('"' | '#'))) {
            at += string_end(&chars[at..]);
        } else if c == '\'' {
            // A character ('x', '\n', '\u{e9}') or a lifetime ('a), which names no module.
            at += if next == Some('\\') {
                let closing = chars.get(at + 3..).unwrap_or_default();
                4 + closing.iter().position(|&c| c == '\'').unwrap_or(0)
            } else if chars.get(at + 2) == Some(&'\'') {
                3
            } else {
                1
            };
        } else if c.is_alphanumeric() || c == '_' {
            let length = chars[at..]
                .iter()
                .take_while(|c| c.is_alphanumeric() || **c == '_')
                .count();
            tokens.push(chars[at..at + length].iter().collect());
            at += length;
        } else if c == ':' && next == Some(':') {
            tokens.push("::".to_owned());
            at += 2;
        } else {
            if !c.is_whitespace() {
                tokens.push(c.to_string());
            }
            at += 1;
        }
    }
    tokens
}

/// How many characters up to and including `end`.
fn code_end(chars: &[char], end: &str) -> usize {
    let end: Vec<char> = end.chars().collect();
    chars
        .windows(end.len())
        .position(|window| window == end.as_slice())
        .map_or(chars.len(), |at| at + end.len())
}

/// How many characters a string literal takes: `"…"` with escapes, or `r#"…"#`.
fn string_end(chars: &[char]) -> usize {
    if chars[0] == 'r' {
        let hashes = chars[1..].iter().take_while(|&&c| c == '#').count();
        let closing: String = std::iter::once('"')
            .chain(std::iter::repeat_n('#', hashes))
            .collect();
        return 2 + hashes + code_end(&chars[2 + hashes..], &closing);
    }
    let mut at = 1;
    while let Some(&c) = chars.get(at) {
        match c {
            '\\' => at += 2,
            '"' => return at + 1,
            _ => at += 1,
        }
    }
    chars.len()
}

/// The modules `module`'s code names, other than itself.
fn dependencies(module: &Module, code: &str, modules: &BTreeSet<Module>) -> BTreeSet<Module> {
    let tokens = tokens(code);
    let mut imported = Vec::new();
    let mut inline = Vec::new();
    let mut at = 0;
    while at < tokens.len() {
        let is_pub_use = tokens[at] == "pub"
            && tokens[at + 1..]
                .iter()
                .find(|token| !["(", "crate", "super", ")"].contains(&token.as_str()))
                .is_some_and(|token| token == "use");
        let statement_end = at
            + tokens[at..]
                .iter()
                .position(|token| token == ";")
                .unwrap_or(tokens.len() - at);
        if is_pub_use {
            at = statement_end + 1;
        } else if tokens[at] == "use" {
            use_tree(&tokens[at + 1..statement_end], &[], &mut imported);
            at = statement_end + 1;
        } else if tokens.get(at + 1).is_some_and(|token| token == "::")
            && (at == 0 || tokens[at - 1] != "::")
        {
            let mut path = vec![tokens[at].clone()];
            while tokens.get(at + 1).is_some_and(|token| token == "::")
                && tokens.get(at + 2).is_some_and(|token| is_word(token))
            {
                path.push(tokens[at + 2].clone());
                at += 2;
            }
            inline.push(path);
            at += 1;
        } else {
            at += 1;
        }
    }
    // A module imported by name (`use crate::metrics;`) is a prefix for the paths that use it.
    let mut aliases = BTreeMap::new();
    for (path, name) in &imported {
        if let Some(target) = absolute(module, path, &BTreeMap::new(), modules)
            .filter(|target| modules.contains(target))
        {
            aliases.insert(name.clone(), target);
        }
    }
    imported
        .iter()
        .map(|(path, _)| path)
        .chain(&inline)
        .filter_map(|path| absolute(module, path, &aliases, modules))
        .filter_map(|path| {
            (1..=path.len())
                .rev()
                .map(|length| path[..length].to_vec())
                .find(|prefix| modules.contains(prefix))
        })
        .filter(|target| target != module)
        .collect()
}

fn is_word(token: &str) -> bool {
    token.chars().all(|c| c.is_alphanumeric() || c == '_')
}

/// The paths a `use` tree imports under `prefix`, each with the name it is imported as.
fn use_tree(tokens: &[String], prefix: &[String], paths: &mut Vec<(Vec<String>, String)>) {
    let mut path = prefix.to_vec();
    for (at, token) in tokens.iter().enumerate() {
        match token.as_str() {
            "::" => {}
            "{" => {
                let inside = &tokens[at + 1..tokens.len().saturating_sub(1).max(at + 1)];
                for part in top_level_parts(inside) {
                    use_tree(part, &path, paths);
                }
                return;
            }
            // A glob names the module itself.
            "*" => break,
            "as" => {
                let name = tokens.get(at + 1).cloned().unwrap_or_default();
                paths.push((path, name));
                return;
            }
            // `use a::{self, b}` imports `a` itself.
            "self" if !path.is_empty() => {}
            word => path.push(word.to_owned()),
        }
    }
    let name = path.last().cloned().unwrap_or_default();
    paths.push((path, name));
}

/// The parts of a `use` group, split at its own commas.
fn top_level_parts(tokens: &[String]) -> Vec<&[String]> {
    let mut parts = Vec::new();
    let mut nesting = 0;
    let mut start = 0;
    for (at, token) in tokens.iter().enumerate() {
        match token.as_str() {
            "{" => nesting += 1,
            "}" => nesting -= 1,
            "," if nesting == 0 => {
                parts.push(&tokens[start..at]);
                start = at + 1;
            }
            _ => {}
        }
    }
    parts.push(&tokens[start..]);
    parts.retain(|part| !part.is_empty());
    parts
}

/// `path` from the crate root, when it starts in this crate: `crate`, `self`, `super`, a child
/// module, or a module imported by name.
fn absolute(
    module: &Module,
    path: &[String],
    aliases: &BTreeMap<String, Module>,
    modules: &BTreeSet<Module>,
) -> Option<Module> {
    let (first, mut rest) = path.split_first()?;
    let child = [module.as_slice(), std::slice::from_ref(first)].concat();
    let mut start = match first.as_str() {
        "crate" => Vec::new(),
        "self" => module.clone(),
        "super" => module[..module.len().checked_sub(1)?].to_vec(),
        name if aliases.contains_key(name) => aliases[name].clone(),
        _ if modules.contains(&child) => child,
        _ => return None,
    };
    while let Some((_, remaining)) = rest.split_first().filter(|(next, _)| *next == "super") {
        start.pop()?;
        rest = remaining;
    }
    Some([start.as_slice(), rest].concat())
}

/// The strongly connected groups of more than one module (Tarjan's algorithm), each sorted.
fn cycles(graph: &BTreeMap<Module, BTreeSet<Module>>) -> Vec<Vec<Module>> {
    struct Search<'a> {
        graph: &'a BTreeMap<Module, BTreeSet<Module>>,
        index: BTreeMap<&'a Module, (usize, usize)>,
        stack: Vec<&'a Module>,
        found: Vec<Vec<Module>>,
    }
    impl<'a> Search<'a> {
        fn visit(&mut self, module: &'a Module) {
            let number = self.index.len();
            self.index.insert(module, (number, number));
            self.stack.push(module);
            for next in self.graph.get(module).into_iter().flatten() {
                let low = match self.index.get(next) {
                    None => {
                        self.visit(next);
                        self.index[next].1
                    }
                    Some(&(index, _)) if self.stack.contains(&next) => index,
                    Some(_) => continue,
                };
                let entry = self.index.get_mut(module).unwrap();
                entry.1 = entry.1.min(low);
            }
            if self.index[module].0 == self.index[module].1 {
                let at = self
                    .stack
                    .iter()
                    .rposition(|&member| member == module)
                    .unwrap();
                let mut group: Vec<Module> = self.stack.drain(at..).cloned().collect();
                if group.len() > 1 {
                    group.sort();
                    self.found.push(group);
                }
            }
        }
    }
    let mut search = Search {
        graph,
        index: BTreeMap::new(),
        stack: Vec::new(),
        found: Vec::new(),
    };
    for module in graph.keys() {
        if !search.index.contains_key(module) {
            search.visit(module);
        }
    }
    search.found
}
