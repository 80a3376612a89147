//! An Excel 97-2003 workbook (XLS: a compound file holding a BIFF record stream) measured before calamine
//! loads it: calamine loads every sheet whole, as wide and tall as its farthest cell, and trusts the
//! records' counts, so a small hostile file could ask for gigabytes or trip an overflow. This reads the
//! compound file's sector chains (each checked: in range, no loops) to the workbook stream, and walks its
//! records once: a password, a sheet's extent over the limits, or records that contradict themselves
//! (a dimension or a run of cells ending before it starts) refuse the file first.

use std::io::{Read, Seek, SeekFrom};

use super::{column_letter, file_error, Limits};
use crate::error::{Error, Result};

const FREE: u32 = 0xFFFF_FFFF;
const END_OF_CHAIN: u32 = 0xFFFF_FFFE;
/// An XLSX with a password is a compound file holding the encrypted package.
const ENCRYPTED: &str = "encrypted";

/// Checks an XLS against the limits; the reader is rewound after.
pub(crate) fn check<R: Read + Seek>(name: &str, reader: &mut R, limits: &Limits) -> Result<()> {
    let mut bytes = Vec::new();
    reader.rewind().and_then(|_| reader.read_to_end(&mut bytes)).map_err(|e| read_error(name, &e))?;
    reader.seek(SeekFrom::Start(0)).map_err(|e| read_error(name, &e))?;
    let stream = workbook_stream(&bytes).map_err(|why| match why {
        ENCRYPTED => {
            file_error(name, None, None, "is password-protected: remove the password and save it again")
        }
        why => damaged(name, why),
    })?;
    check_records(name, &stream, limits)
}

fn read_error(name: &str, e: &std::io::Error) -> Error {
    file_error(name, None, None, format!("cannot be read: {e}"))
}

fn damaged(name: &str, why: &str) -> Error {
    file_error(
        name,
        None,
        None,
        format!("is damaged or truncated: it cannot be read as an Excel 97-2003 workbook (XLS) ({why})"),
    )
}

fn u16_at(b: &[u8], at: usize) -> Option<u16> {
    b.get(at..at + 2).map(|s| u16::from_le_bytes([s[0], s[1]]))
}

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    b.get(at..at + 4).map(|s| u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
}

/// The compound file's workbook stream (`Workbook`, or `Book` for Excel 5).
fn workbook_stream(file: &[u8]) -> Result<Vec<u8>, &'static str> {
    const TRUNCATED: &str = "its header is cut short";
    let shift = u16_at(file, 0x1E).ok_or(TRUNCATED)?;
    if shift != 9 && shift != 12 {
        return Err("its sector size is not one Excel writes");
    }
    let sector = 1usize << shift;
    let mini_shift = u16_at(file, 0x20).ok_or(TRUNCATED)?;
    if mini_shift != 6 {
        return Err("its mini-sector size is not one Excel writes");
    }
    let sectors = file.len().saturating_sub(512) / sector + 1;
    let sector_at = |id: u32| -> Option<&[u8]> {
        let start = 512usize.checked_add((id as usize).checked_mul(sector)?)?;
        file.get(start..start.checked_add(sector)?)
    };
    // The FAT's own sectors: 109 listed in the header, the rest in the DIFAT chain.
    let mut fat_sectors: Vec<u32> =
        (0..109).filter_map(|i| u32_at(file, 0x4C + 4 * i)).filter(|&s| s < FREE - 3).collect();
    let mut difat = u32_at(file, 0x44).ok_or(TRUNCATED)?;
    let mut hops = 0;
    while difat < FREE - 3 {
        hops += 1;
        if hops > sectors {
            return Err("its sector list loops");
        }
        let s = sector_at(difat).ok_or("its sector list points past its end")?;
        let per = sector / 4 - 1;
        fat_sectors.extend((0..per).filter_map(|i| u32_at(s, 4 * i)).filter(|&id| id < FREE - 3));
        difat = u32_at(s, 4 * per).ok_or(TRUNCATED)?;
    }
    let mut fat = Vec::with_capacity(fat_sectors.len().min(sectors) * sector / 4);
    for &id in fat_sectors.iter().take(sectors) {
        let s = sector_at(id).ok_or("its allocation table points past its end")?;
        fat.extend((0..sector / 4).filter_map(|i| u32_at(s, 4 * i)));
    }
    let chain = |start: u32, max: usize| -> Result<Vec<u8>, &'static str> {
        let mut out = Vec::new();
        let mut id = start;
        let mut hops = 0;
        while id != END_OF_CHAIN && id != FREE {
            hops += 1;
            if hops > sectors {
                return Err("a stream's sector chain loops");
            }
            out.extend_from_slice(sector_at(id).ok_or("a stream points past the end of the file")?);
            if out.len() >= max {
                break;
            }
            id = *fat.get(id as usize).ok_or("a stream's sector chain leaves the allocation table")?;
        }
        Ok(out)
    };
    let directory = chain(u32_at(file, 0x30).ok_or(TRUNCATED)?, usize::MAX)?;
    let mut root: Option<(u32, u64)> = None;
    let mut found: Option<(u32, u64)> = None;
    for entry in directory.chunks_exact(128) {
        let len = usize::from(u16_at(entry, 0x40).unwrap_or(0)).min(64);
        let name: Vec<u16> = (0..len.saturating_sub(2) / 2).filter_map(|i| u16_at(entry, 2 * i)).collect();
        let name = String::from_utf16_lossy(&name);
        let start = u32_at(entry, 0x74).unwrap_or(END_OF_CHAIN);
        let size = u64::from(u32_at(entry, 0x78).unwrap_or(0));
        match entry[0x42] {
            5 => root = Some((start, size)),
            2 if (name == "Workbook" || name == "Book") && found.is_none() => found = Some((start, size)),
            2 if name == "EncryptedPackage" => return Err(ENCRYPTED),
            _ => {}
        }
    }
    let (start, size) = found.ok_or("it holds no workbook stream")?;
    let size = usize::try_from(size).map_err(|_| "its workbook stream is too large")?;
    if size > file.len() {
        return Err("its workbook stream is longer than the file");
    }
    let cutoff = u32_at(file, 0x38).unwrap_or(4096) as usize;
    let mut stream = if size < cutoff {
        // Small streams live in the mini stream, itself a chain of the root entry.
        let (root_start, root_size) = root.ok_or("it has no root entry")?;
        let mini = chain(root_start, usize::try_from(root_size).unwrap_or(usize::MAX))?;
        let mini_fat = chain(u32_at(file, 0x3C).ok_or(TRUNCATED)?, usize::MAX)?;
        let next = |id: u32| u32_at(&mini_fat, 4 * id as usize);
        let mut out = Vec::new();
        let mut id = start;
        let mut hops = 0;
        while id != END_OF_CHAIN && id != FREE && out.len() < size {
            hops += 1;
            if hops > mini.len() / 64 + 1 {
                return Err("a small stream's chain loops");
            }
            let at = 64 * id as usize;
            out.extend_from_slice(mini.get(at..at + 64).ok_or("a small stream points past its end")?);
            id = next(id).ok_or("a small stream's chain leaves its table")?;
        }
        out
    } else {
        chain(start, size)?
    };
    if stream.len() < size {
        return Err("its workbook stream is cut short");
    }
    stream.truncate(size);
    Ok(stream)
}

/// One sheet's cells as calamine will hold them.
#[derive(Default)]
struct Extent {
    rows: Option<(u32, u32)>,
    columns: Option<(u32, u32)>,
}

impl Extent {
    fn add(&mut self, row: u32, first: u32, last: u32) {
        self.rows = Some(self.rows.map_or((row, row), |(a, b)| (a.min(row), b.max(row))));
        self.columns = Some(self.columns.map_or((first, last), |(a, b)| (a.min(first), b.max(last))));
    }

    fn cells(&self) -> u64 {
        match (self.rows, self.columns) {
            (Some((r0, r1)), Some((c0, c1))) => u64::from(r1 - r0 + 1) * u64::from(c1 - c0 + 1),
            _ => 0,
        }
    }
}

/// More sheets than a workbook has: each is walked from its own start, as calamine does.
const MAX_SHEETS: usize = 4096;

fn record(name: &str, stream: &[u8], at: usize) -> Result<(u16, usize, usize)> {
    let typ = u16_at(stream, at).unwrap_or(0);
    let len = usize::from(u16_at(stream, at + 2).unwrap_or(0));
    if stream.len() < at + 4 + len {
        return Err(damaged(name, "a record is cut short"));
    }
    Ok((typ, at + 4, len))
}

/// Walks the records as calamine reads them: a password and the sheets' positions (BoundSheet8) from the
/// whole stream, then each sheet from its position to its end, measured.
fn check_records(name: &str, stream: &[u8], limits: &Limits) -> Result<()> {
    let mut positions = Vec::new();
    let mut at = 0usize;
    while at + 4 <= stream.len() {
        let (typ, start, len) = record(name, stream, at)?;
        let data = &stream[start..start + len];
        at = start + len;
        match typ {
            0x002F if u16_at(data, 0).unwrap_or(0) != 0 => {
                return Err(file_error(
                    name,
                    None,
                    None,
                    "is password-protected: remove the password in Excel and save it again",
                ));
            }
            0x0085 => positions.push(u32_at(data, 0).map_or(usize::MAX, |p| p as usize)),
            _ => {}
        }
        if positions.len() > MAX_SHEETS {
            return Err(file_error(name, None, None, format!("has more than {MAX_SHEETS} sheets: refused")));
        }
    }
    let mut total: u64 = 0;
    for (i, &position) in positions.iter().enumerate() {
        let sheet = stream.get(position..).ok_or_else(|| damaged(name, "a sheet is placed past its end"))?;
        total = total.saturating_add(sheet_cells(name, sheet, i + 1, limits)?);
        if total > limits.cells {
            return Err(too_many_cells(name, limits));
        }
    }
    Ok(())
}

fn too_many_cells(name: &str, limits: &Limits) -> Error {
    file_error(
        name,
        None,
        None,
        format!(
            "is refused: its sheets span more than {} cells (it is read whole): save it as XLSX",
            limits.cells
        ),
    )
}

/// One sheet's area as calamine will hold it, its dimensions and runs of cells checked.
fn sheet_cells(name: &str, stream: &[u8], sheet: usize, limits: &Limits) -> Result<u64> {
    let too_far = |row: u32, column: u32| -> Option<Error> {
        if column as usize >= limits.columns {
            return Some(file_error(
                name,
                Some(row as usize + 1),
                Some(&column_letter(column as usize)),
                format!("has a value beyond the {} columns a file may have", limits.columns),
            ));
        }
        if row as usize > limits.rows + 1 {
            return Some(file_error(
                name,
                Some(row as usize + 1),
                None,
                format!("has more than {} data rows, the most a file may have", limits.rows),
            ));
        }
        None
    };
    let mut extent = Extent::default();
    let mut at = 0usize;
    // The sheet's own BOF, then substreams nested in it (a chart's), skipped as calamine skips them.
    let mut seen_bof = false;
    let mut depth = 0usize;
    while at + 4 <= stream.len() {
        let (typ, start, len) = record(name, stream, at)?;
        let data = &stream[start..start + len];
        at = start + len;
        if depth > 0 {
            match typ {
                0x0809 => depth += 1,
                0x000A => depth -= 1,
                _ => {}
            }
            continue;
        }
        match typ {
            0x0809 => {
                if seen_bof {
                    depth += 1;
                } else {
                    seen_bof = true;
                }
            }
            0x000A => break,
            0x0200 => {
                let (rf, rl, cf, cl) = match len {
                    10 => (
                        u32::from(u16_at(data, 0).unwrap_or(0)),
                        u32::from(u16_at(data, 2).unwrap_or(0)),
                        u32::from(u16_at(data, 4).unwrap_or(0)),
                        u32::from(u16_at(data, 6).unwrap_or(0)),
                    ),
                    14 | 16 => (
                        u32_at(data, 0).unwrap_or(0),
                        u32_at(data, 4).unwrap_or(0),
                        u32::from(u16_at(data, 8).unwrap_or(0)),
                        u32::from(u16_at(data, 10).unwrap_or(0)),
                    ),
                    _ => continue,
                };
                let cf = if cf > 0xFF || cl < cf { 0 } else { cf };
                if rl >= 1 && rl - 1 < rf {
                    return Err(damaged(name, "a sheet's dimensions end before they start"));
                }
                let rows = u64::from(rl.saturating_sub(rf));
                let columns = u64::from(cl.saturating_sub(cf));
                if rows > limits.rows as u64 + 1
                    || columns > limits.columns as u64
                    || rows.saturating_mul(columns) > limits.cells
                {
                    return Err(file_error(
                        name,
                        None,
                        None,
                        format!(
                            "is refused: its sheet {sheet} declares {rows} rows × {columns} columns, over the {} \
                             rows and {} columns a file may have",
                            limits.rows, limits.columns
                        ),
                    ));
                }
            }
            // One cell: Number, Label, RString, BoolErr, RK, LabelSst, Formula.
            0x0203 | 0x0204 | 0x00D6 | 0x0205 | 0x027E | 0x00FD | 0x0006 if len >= 4 => {
                let row = u32::from(u16_at(data, 0).unwrap_or(0));
                let column = u32::from(u16_at(data, 2).unwrap_or(0));
                if let Some(e) = too_far(row, column) {
                    return Err(e);
                }
                extent.add(row, column, column);
            }
            // A run of RK numbers in one row.
            0x00BD => {
                if len < 6 {
                    return Err(damaged(name, "a run of numbers is cut short"));
                }
                let row = u32::from(u16_at(data, 0).unwrap_or(0));
                let first = u32::from(u16_at(data, 2).unwrap_or(0));
                let last = u32::from(u16_at(data, len - 2).unwrap_or(0));
                if last < first || len != 6 + 6 * (last - first + 1) as usize {
                    return Err(damaged(name, "a run of numbers contradicts its length"));
                }
                if let Some(e) = too_far(row, last) {
                    return Err(e);
                }
                extent.add(row, first, last);
            }
            _ => {}
        }
        if extent.cells() > limits.cells {
            return Err(too_many_cells(name, limits));
        }
    }
    Ok(extent.cells())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(typ: u16, data: &[u8]) -> Vec<u8> {
        let mut out = typ.to_le_bytes().to_vec();
        out.extend((data.len() as u16).to_le_bytes());
        out.extend(data);
        out
    }

    fn cell(row: u16, col: u16) -> Vec<u8> {
        let mut data = row.to_le_bytes().to_vec();
        data.extend(col.to_le_bytes());
        data.extend([0u8; 10]);
        record(0x0203, &data)
    }

    /// A globals substream naming one sheet (BoundSheet8 with its position), then the sheet.
    fn sheet(body: &[Vec<u8>]) -> Vec<u8> {
        let bof = record(0x0809, &[0; 16]);
        let eof = record(0x000A, &[]);
        let boundsheet_len = 4 + 8;
        let position = (bof.len() + boundsheet_len + eof.len()) as u32;
        let mut bound = position.to_le_bytes().to_vec();
        bound.extend([0, 0, 1, 0]);
        let mut out = bof.clone();
        out.extend(record(0x0085, &bound));
        out.extend(&eof);
        assert_eq!(out.len() as u32, position);
        out.extend(&bof);
        for r in body {
            out.extend(r);
        }
        out.extend(&eof);
        out
    }

    #[test]
    fn two_far_apart_cells_are_refused_for_the_area_between_them() {
        let limits = Limits { cells: 1000, ..Limits::default() };
        assert!(check_records("x.xls", &sheet(&[cell(0, 0), cell(9, 9)]), &limits).is_ok());
        let e = check_records("x.xls", &sheet(&[cell(0, 0), cell(2000, 9)]), &limits).expect_err("too many");
        assert!(e.to_string().starts_with("x.xls: is refused: its sheets span more than 1000 cells"), "{e}");
        let e = check_records("x.xls", &sheet(&[cell(0, 600)]), &Limits::default()).expect_err("too wide");
        assert_eq!(
            e.to_string(),
            "x.xls, row 1, column WC: has a value beyond the 512 columns a file may have"
        );
    }

    #[test]
    fn records_that_contradict_themselves_are_refused() {
        let mut backwards = 3u16.to_le_bytes().to_vec();
        backwards.extend(9u16.to_le_bytes());
        backwards.extend([0u8; 6]);
        backwards.extend(2u16.to_le_bytes());
        let e = check_records("x.xls", &sheet(&[record(0x00BD, &backwards)]), &Limits::default())
            .expect_err("run");
        assert!(e.to_string().contains("a run of numbers contradicts its length"), "{e}");
        let mut dimension = 10u32.to_le_bytes().to_vec();
        dimension.extend(5u32.to_le_bytes());
        dimension.extend([0u8; 6]);
        let e = check_records("x.xls", &sheet(&[record(0x0200, &dimension)]), &Limits::default())
            .expect_err("dim");
        assert!(e.to_string().contains("dimensions end before they start"), "{e}");
    }

    #[test]
    fn a_compound_file_that_loops_or_points_away_is_damaged() {
        let mut file = vec![0u8; 512 * 3];
        file[..8].copy_from_slice(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]);
        file[0x1E] = 9;
        file[0x20] = 6;
        file[0x30..0x34].copy_from_slice(&0u32.to_le_bytes()); // directory at sector 0
        file[0x44..0x48].copy_from_slice(&END_OF_CHAIN.to_le_bytes());
        file[0x4C..0x50].copy_from_slice(&1u32.to_le_bytes()); // FAT in sector 1
        for i in 1..109 {
            file[0x4C + 4 * i..0x50 + 4 * i].copy_from_slice(&FREE.to_le_bytes());
        }
        // FAT: sector 0 (the directory) points to itself.
        file[512 + 512..512 + 516].copy_from_slice(&0u32.to_le_bytes());
        assert_eq!(workbook_stream(&file).err(), Some("a stream's sector chain loops"));
    }
}
