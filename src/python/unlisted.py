# Prints, as JSON, the installed distributions that the named requirements do not need.
# argv[1]: JSON list of normalised names to keep with their dependencies.
# Markers and extras are ignored on purpose: keeping too much is safe, removing too much is not.
import json
import re
import sys


def norm(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def installed():
    try:
        from importlib import metadata
    except ImportError:
        import pkg_resources

        return dict(
            (norm(d.project_name), [str(r) for r in d.requires(d.extras)])
            for d in pkg_resources.working_set
        )
    found = {}
    for dist in metadata.distributions():
        name = dist.metadata["Name"]
        if name:
            found[norm(name)] = list(dist.requires or [])
    return found


def main():
    dists = installed()
    needed = set(["pip", "setuptools", "wheel"])
    todo = [norm(n) for n in json.loads(sys.argv[1])]
    while todo:
        name = todo.pop()
        if name in needed:
            continue
        needed.add(name)
        for requirement in dists.get(name, []):
            match = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", requirement)
            if match:
                todo.append(norm(match.group(1)))
    print(json.dumps(sorted(set(dists) - needed)))


main()
