//! What typst sees while it typesets one report: the template as its only source, the report's JSON as its
//! only file, the fonts of [`Fonts`] (their data read on first use and let go with the report), and no
//! packages, network or other file of the computer.

use std::sync::{Mutex, OnceLock, PoisonError};

use chrono::{Datelike, Timelike, Utc};
use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime, Duration};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};

use crate::fonts::{FileCache, Fonts};

const TEMPLATE: &str = include_str!("report.typ");

pub(crate) struct ReportWorld<'f> {
    fonts: &'f Fonts,
    main: FileId,
    template: Source,
    data_id: FileId,
    data: Bytes,
    files: Mutex<FileCache>,
    /// Each face parsed once per report (typst asks for a font many times; parsing one describes its whole
    /// character map, some ten thousand characters for a CJK font).
    faces: Vec<OnceLock<Option<Font>>>,
}

fn file_id(path: &str) -> FileId {
    // Both names are constants that VirtualPath accepts.
    let vpath = VirtualPath::new(path).unwrap_or_else(|_| unreachable!("{path} is a virtual path"));
    RootedPath::new(VirtualRoot::Project, vpath).intern()
}

fn library() -> &'static LazyHash<Library> {
    static LIBRARY: OnceLock<LazyHash<Library>> = OnceLock::new();
    LIBRARY.get_or_init(|| LazyHash::new(Library::default()))
}

impl<'f> ReportWorld<'f> {
    /// The world of one report, `data` its JSON.
    pub(crate) fn new(fonts: &'f Fonts, data: Vec<u8>) -> ReportWorld<'f> {
        let main = file_id("report.typ");
        ReportWorld {
            fonts,
            main,
            template: Source::new(main, TEMPLATE.to_owned()),
            data_id: file_id("report.json"),
            data: Bytes::new(data),
            files: Mutex::new(FileCache::default()),
            faces: (0..fonts.len()).map(|_| OnceLock::new()).collect(),
        }
    }

    /// The template's line a diagnostic points at, for the message of a template's fault.
    pub(crate) fn line(&self, span: typst::syntax::DiagSpan) -> Option<usize> {
        let range = typst::WorldExt::range(self, span)?;
        Some(TEMPLATE.get(..range.start)?.lines().count().max(1))
    }

    /// Now, for the PDF's creation date.
    pub(crate) fn timestamp(&self) -> Option<typst_pdf::Timestamp> {
        let now = Utc::now();
        let datetime = Datetime::from_ymd_hms(
            now.year(),
            u8::try_from(now.month()).ok()?,
            u8::try_from(now.day()).ok()?,
            u8::try_from(now.hour()).ok()?,
            u8::try_from(now.minute()).ok()?,
            u8::try_from(now.second()).ok()?,
        )?;
        Some(typst_pdf::Timestamp::new_utc(datetime))
    }
}

impl World for ReportWorld<'_> {
    fn library(&self) -> &LazyHash<Library> {
        library()
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &self.fonts.book
    }

    fn main(&self) -> FileId {
        self.main
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main {
            Ok(self.template.clone())
        } else {
            Err(FileError::NotSource)
        }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == self.data_id {
            Ok(self.data.clone())
        } else if id == self.main {
            Ok(Bytes::from_string(self.template.clone()))
        } else {
            Err(FileError::AccessDenied)
        }
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.faces
            .get(index)?
            .get_or_init(|| {
                let mut files = self.files.lock().unwrap_or_else(PoisonError::into_inner);
                self.fonts.font(index, &mut files)
            })
            .clone()
    }

    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        None
    }
}
