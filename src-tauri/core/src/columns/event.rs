//! An event's columns: all plain fields; its project and organisers by name.

use crate::error::Result;

use super::cells::Cells;
use super::row::Line;
use super::ValueKind::{self as V, Reference, Vocabulary};
use super::{Column, Out, RecordKind, Vocab, ID};

pub(super) const COLUMNS: &[Column] = &[
    ID,
    Column::new("title", "Title", "Titre", V::Text).mandatory().also(&[
        "Event",
        "Événement",
        "Name",
        "Nom",
        "Intitulé",
    ]),
    Column::new("kind", "Kind", "Type", Vocabulary(Vocab::EventKind))
        .mandatory()
        .also(&["Type of event", "Format"]),
    Column::new("start_date", "Date (first day)", "Date (premier jour)", V::Date).mandatory().also(&[
        "Date",
        "Start date",
        "Date de début",
        "First day",
    ]),
    Column::new("end_date", "Last day", "Dernier jour", V::Date).also(&["End date", "Date de fin"]),
    Column::new("online", "Online", "En ligne", V::YesNo).also(&["Virtual", "Distanciel"]),
    Column::new("venue", "Venue", "Lieu", V::Text).also(&["Place", "Location", "Where", "地点", "会場"]),
    Column::new("zone", "Zone", "Zone", Vocabulary(Vocab::Zone)),
    Column::new("project_id", "Project", "Projet", Reference(RecordKind::Project)),
    Column::new("organiser_ids", "Organisers", "Organisateurs", Reference(RecordKind::Partner))
        .many()
        .also(&["Organiser", "Organizers", "Organisateur", "Co-organisers"]),
    Column::new("registered", "Registered", "Inscrits", V::Integer).also(&["Registrations", "Inscriptions"]),
    Column::new("attended", "Attended", "Présents", V::Integer).also(&[
        "Participants",
        "Attendance",
        "Attendees",
    ]),
    Column::new("notes", "Notes", "Notes", V::Text).also(&["Note", "Comments", "Commentaires", "Remarques"]),
];

pub(super) fn input(c: &mut Cells) -> Result<()> {
    c.id();
    c.plain()
}

pub(super) fn row(line: &mut Line) -> Result<()> {
    line.fill(|_, _| Ok(Out::Empty))
}
