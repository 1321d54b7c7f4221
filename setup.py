"""Packaging for oorl_nb: every fact lives in settings.ini (the nbdev 2 convention)."""
from configparser import ConfigParser
from pathlib import Path
import setuptools

cfg = ConfigParser(delimiters=['='])
cfg.read('settings.ini', encoding='utf-8')
cfg = cfg['DEFAULT']
licenses = {'apache2': 'Apache-2.0'}  # SPDX expressions (license classifiers are deprecated)
statuses = ['Planning', 'Pre-Alpha', 'Alpha', 'Beta', 'Production/Stable']
py_versions = ['3.10', '3.11', '3.12', '3.13']
min_python = cfg['min_python']

SAMPLE_FILES = ['*.jsonl', '*.jsonl.gz', '*.json', '*.md', '*.c', '*.yaml', '*.safetensors', '*.png']
SAMPLE_PACKAGES = ['oorl_nb.data_samples'] + sorted('oorl_nb.data_samples.' + '.'.join(d.relative_to('data_samples').parts)
                                                    for d in Path('data_samples').rglob('*') if d.is_dir() and d.name != '__pycache__')

setuptools.setup(
    name=cfg['lib_name'].replace('_', '-'),
    version=cfg['version'],
    description=cfg['description'],
    long_description=Path('README.md').read_text(encoding='utf-8') if Path('README.md').exists() else cfg['description'],
    long_description_content_type='text/markdown',
    url=cfg['git_url'],
    author=cfg['author'], author_email=cfg['author_email'],
    license=licenses[cfg['license']],
    license_files=['LICENSE'],
    keywords=cfg['keywords'].split(),
    classifiers=[f'Development Status :: {cfg["status"]} - {statuses[int(cfg["status"])]}',
                 f'Intended Audience :: {cfg["audience"].title()}',
                 f'Natural Language :: {cfg["language"].title()}']
                + [f'Programming Language :: Python :: {v}' for v in py_versions[py_versions.index(min_python):]],
    python_requires=f'>={min_python}',
    # data_samples/ (repo root) ships inside the wheel as oorl_nb/data_samples so `oorl-nb demo` works anywhere: every
    # folder of it a package of data files (data, configs, the embedded model, shipped runs; never checkpoints).
    packages=setuptools.find_packages(include=['oorl_nb', 'oorl_nb.*']) + SAMPLE_PACKAGES,
    package_dir={'oorl_nb.data_samples': 'data_samples'},
    package_data={name: SAMPLE_FILES for name in SAMPLE_PACKAGES},
    include_package_data=True,
    install_requires=cfg['requirements'].split(),
    # notebooks: what the notebooks import (every Colab install cell installs it); dev: that plus the tools of development.
    extras_require={'notebooks': cfg['notebook_requirements'].split(), 'dev': cfg['dev_requirements'].split()},
    entry_points={'console_scripts': cfg['console_scripts'].split(),
                  'nbdev': [f'{cfg["lib_path"]}={cfg["lib_path"]}._modidx:d']},
    zip_safe=False,
)
