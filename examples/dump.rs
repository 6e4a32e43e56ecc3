fn main() {
    let path = std::env::args().nth(1).unwrap();
    let source = deploy_script::source::Source::read(std::path::Path::new(&path)).unwrap();
    let parsed = deploy_script::parser::parse(&source);
    if std::env::args().nth(2).is_some() {
        println!("{:#?}", parsed.script);
    }
    for d in &parsed.diagnostics {
        println!("{}\n", d.render(&source));
    }
    println!(
        "{} statements, {} diagnostics",
        parsed.script.statements.len(),
        parsed.diagnostics.len()
    );
}
