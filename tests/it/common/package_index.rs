//! Test support: a package index on localhost that serves a wheel house as a PEP 503
//! "simple" index (`/simple/<name>/` lists that project's wheels, each a link to its
//! file), for tools that only lock against an index: Poetry reads no `file://` source,
//! and Pipenv locks from the Pipfile's `[[source]]`. The server is a thread of the test
//! process (no child to kill); it reads the house on each request, so wheels added later
//! are seen, and it never reaches the network.

use super::wheels::WheelHouse;
use deploy_script::app::package_name::normalize_name as normalize;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};

/// A running index over one wheel house.
pub struct PackageIndex {
    /// `http://127.0.0.1:PORT/simple`.
    pub url: String,
}

impl PackageIndex {
    /// Serves the wheels of `house` until the test process ends.
    pub fn serve(house: &WheelHouse) -> PackageIndex {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind a local port");
        let port = listener.local_addr().unwrap().port();
        let dir = house.path().to_path_buf();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let dir = dir.clone();
                std::thread::spawn(move || answer(stream, &dir));
            }
        });
        PackageIndex {
            url: format!("http://127.0.0.1:{port}/simple"),
        }
    }
}

/// Reads one request and answers it: a project page, a wheel, or 404.
fn answer(stream: TcpStream, dir: &Path) {
    let mut reader = BufReader::new(&stream);
    let mut request_line = String::new();
    if reader.read_line(&mut request_line).is_err() {
        return;
    }
    // The headers are not needed; read them so the client sees its request taken.
    let mut header = String::new();
    while reader.read_line(&mut header).is_ok_and(|read| read > 2) {
        header.clear();
    }
    let path = request_line.split_whitespace().nth(1).unwrap_or("/");
    let path = path.split(['?', '#']).next().unwrap_or(path);
    let parts: Vec<&str> = path.split('/').filter(|part| !part.is_empty()).collect();
    let response = match parts.as_slice() {
        ["simple", project] => Some(("text/html", project_page(dir, project).into_bytes())),
        ["simple", _, file] if file.ends_with(".whl") => std::fs::read(dir.join(file))
            .ok()
            .map(|bytes| ("application/octet-stream", bytes)),
        _ => None,
    };
    let mut stream = &stream;
    let _ = match response {
        Some((kind, body)) => write!(
            stream,
            "HTTP/1.1 200 OK\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
            body.len()
        )
        .and_then(|()| stream.write_all(&body)),
        None => write!(
            stream,
            "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
        ),
    };
}

/// The PEP 503 page of `project`: a link to each of its wheels in `dir`.
fn project_page(dir: &Path, project: &str) -> String {
    let wanted = normalize(project);
    let mut links = String::new();
    for wheel in wheels(dir) {
        let file = wheel.file_name().unwrap().to_string_lossy().into_owned();
        let name = file.split('-').next().unwrap_or("");
        if normalize(name) == wanted {
            links.push_str(&format!("<a href=\"{file}\">{file}</a><br>\n"));
        }
    }
    format!("<!DOCTYPE html>\n<html><body>\n{links}</body></html>\n")
}

/// The wheels in `dir`, sorted.
fn wheels(dir: &Path) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "whl"))
        .collect();
    found.sort();
    found
}
