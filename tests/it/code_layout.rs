//! The code's layout rules, checked on the source tree: no two top-level modules of src/
//! import each other (directly or through others), and every Rust file starts with a `//!`
//! comment saying what it is for.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Every `.rs` file under `dir`, sorted.
fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut folders = vec![dir.to_path_buf()];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                folders.push(path);
            } else if path.extension().is_some_and(|ext| ext == "rs") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

/// The top-level module a file of src/ belongs to (`src/python/pip.rs` -> `python`,
/// `src/span.rs` -> `span`); `None` for the crate root and the binaries.
fn top_module(src: &Path, file: &Path) -> Option<String> {
    let rel = file.strip_prefix(src).unwrap();
    let first = rel.components().next()?.as_os_str().to_str()?.to_string();
    let name = first.strip_suffix(".rs").unwrap_or(&first).to_string();
    (name != "lib" && name != "bin").then_some(name)
}

/// The top-level modules `text` names as `crate::NAME`, outside comments and before the
/// file's `#[cfg(test)]` module (unit tests may reach further than the code they test).
fn imports(text: &str) -> BTreeSet<String> {
    let mut named = BTreeSet::new();
    for line in text.lines() {
        if line.starts_with("#[cfg(test)]") {
            break;
        }
        let code = line.split("//").next().unwrap_or("");
        for (at, _) in code.match_indices("crate::") {
            let name: String = code[at + "crate::".len()..]
                .chars()
                .take_while(|c| c.is_ascii_lowercase() || *c == '_')
                .collect();
            if !name.is_empty() {
                named.insert(name);
            }
        }
    }
    named
}

/// Import edges between top-level modules, each with the first file that makes it.
fn module_graph(src: &Path) -> BTreeMap<String, BTreeMap<String, PathBuf>> {
    let mut graph: BTreeMap<String, BTreeMap<String, PathBuf>> = BTreeMap::new();
    for file in rust_files(src) {
        let Some(module) = top_module(src, &file) else {
            continue;
        };
        let edges = graph.entry(module.clone()).or_default();
        for target in imports(&std::fs::read_to_string(&file).unwrap()) {
            if target != module {
                edges.entry(target).or_insert_with(|| file.clone());
            }
        }
    }
    graph
}

/// Whether `to` can be reached from `from` by following imports.
fn reaches(graph: &BTreeMap<String, BTreeMap<String, PathBuf>>, from: &str, to: &str) -> bool {
    let mut seen = BTreeSet::new();
    let mut stack = vec![from.to_string()];
    while let Some(module) = stack.pop() {
        for next in graph
            .get(&module)
            .into_iter()
            .flat_map(|edges| edges.keys())
        {
            if next == to {
                return true;
            }
            if seen.insert(next.clone()) {
                stack.push(next.clone());
            }
        }
    }
    false
}

#[test]
fn no_top_level_module_imports_one_that_imports_it_back() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let graph = module_graph(&src);
    assert!(
        graph.len() > 10,
        "only {} modules found in {}",
        graph.len(),
        src.display()
    );
    let mut cycles = Vec::new();
    for (module, edges) in &graph {
        for (target, file) in edges {
            if reaches(&graph, target, module) {
                cycles.push(format!("{module} -> {target} ({})", file.display()));
            }
        }
    }
    assert_eq!(cycles, Vec::<String>::new(), "imports that close a cycle");
}

#[test]
fn the_graph_sees_a_cycle_when_there_is_one() {
    // The checker itself: two modules naming each other are a cycle, a chain is not.
    let mut graph: BTreeMap<String, BTreeMap<String, PathBuf>> = BTreeMap::new();
    for (from, to) in [("a", "b"), ("b", "c"), ("c", "a"), ("c", "d")] {
        graph
            .entry(from.into())
            .or_default()
            .insert(to.into(), PathBuf::new());
    }
    assert!(reaches(&graph, "b", "a"));
    assert!(!reaches(&graph, "d", "a"));
    assert_eq!(
        imports("use crate::python::pip;\n// crate::deploy\nx(crate::sync::run);\n#[cfg(test)]\nuse crate::interpreter;"),
        BTreeSet::from(["python".to_string(), "sync".to_string()])
    );
}

#[test]
fn every_rust_file_says_what_it_is_for() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut silent = Vec::new();
    for dir in ["src", "tests", "benches"] {
        for file in rust_files(&root.join(dir)) {
            let text = std::fs::read_to_string(&file).unwrap();
            if !text.starts_with("//!") {
                silent.push(file.strip_prefix(root).unwrap().display().to_string());
            }
        }
    }
    assert_eq!(
        silent,
        Vec::<String>::new(),
        "files without a `//!` first line"
    );
}
