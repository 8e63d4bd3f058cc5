//! ZIP archives for the import tests, written in the shapes the tools people use write
//! them: sizes in the header (Windows, Info-ZIP) or in a data descriptor after the data
//! (a Mac's Archive Utility, a download streamed), with or without its signature, ZIP64.

use std::io::Write;

/// Where a member's sizes and CRC-32 are written.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Sizes {
    /// In the local header.
    Header,
    /// In a data descriptor with its signature.
    Descriptor,
    /// In a data descriptor without one.
    Unsigned,
    /// In a ZIP64 data descriptor (8-byte sizes), the header's ZIP64 extra field saying so.
    Zip64,
}

/// One member: its name, its bytes, how they are packed.
#[derive(Debug, Clone)]
pub struct Entry {
    pub name: Vec<u8>,
    pub data: Vec<u8>,
    /// 0 stored, 8 deflated (others are written stored, with their number).
    pub method: u16,
    pub sizes: Sizes,
    /// Extra general purpose flags (1: encrypted, 0x800: a UTF-8 name).
    pub flags: u16,
}

impl Entry {
    /// `data` deflated, its sizes in the header.
    pub fn deflated(name: &str, data: &[u8]) -> Entry {
        Entry {
            name: name.as_bytes().to_vec(),
            data: data.to_vec(),
            method: 8,
            sizes: Sizes::Header,
            flags: if name.is_ascii() { 0 } else { 0x800 },
        }
    }

    /// `data` stored as it is.
    pub fn stored(name: &str, data: &[u8]) -> Entry {
        Entry {
            method: 0,
            ..Entry::deflated(name, data)
        }
    }

    /// The same, its sizes written as `sizes` says.
    pub fn sized(self, sizes: Sizes) -> Entry {
        Entry { sizes, ..self }
    }
}

/// A ZIP archive of `entries`, in order, with its central directory.
pub fn archive(entries: &[Entry]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut central = Vec::new();
    for e in entries {
        let packed = if e.method == 8 {
            let mut z =
                flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::default());
            z.write_all(&e.data).unwrap();
            z.finish().unwrap()
        } else {
            e.data.clone()
        };
        let mut crc = flate2::Crc::new();
        crc.update(&e.data);
        let crc = crc.sum();
        let after = e.sizes != Sizes::Header;
        let flags = e.flags | if after { 8 } else { 0 };
        let offset = out.len() as u32;
        let extra: Vec<u8> = if e.sizes == Sizes::Zip64 {
            let mut x = vec![1, 0, 16, 0];
            x.extend_from_slice(&[0; 16]);
            x
        } else {
            Vec::new()
        };
        let (header_crc, header_size, header_packed) = match e.sizes {
            Sizes::Header => (crc, e.data.len() as u32, packed.len() as u32),
            Sizes::Zip64 => (0, u32::MAX, u32::MAX),
            _ => (0, 0, 0),
        };
        out.extend_from_slice(b"PK\x03\x04\x14\x00");
        out.extend_from_slice(&flags.to_le_bytes());
        out.extend_from_slice(&e.method.to_le_bytes());
        out.extend_from_slice(&[0, 0, 0x21, 0x00]);
        out.extend_from_slice(&header_crc.to_le_bytes());
        out.extend_from_slice(&header_packed.to_le_bytes());
        out.extend_from_slice(&header_size.to_le_bytes());
        out.extend_from_slice(&(e.name.len() as u16).to_le_bytes());
        out.extend_from_slice(&(extra.len() as u16).to_le_bytes());
        out.extend_from_slice(&e.name);
        out.extend_from_slice(&extra);
        out.extend_from_slice(&packed);
        match e.sizes {
            Sizes::Header => {}
            Sizes::Zip64 => {
                out.extend_from_slice(b"PK\x07\x08");
                out.extend_from_slice(&crc.to_le_bytes());
                out.extend_from_slice(&(packed.len() as u64).to_le_bytes());
                out.extend_from_slice(&(e.data.len() as u64).to_le_bytes());
            }
            signed => {
                if signed == Sizes::Descriptor {
                    out.extend_from_slice(b"PK\x07\x08");
                }
                out.extend_from_slice(&crc.to_le_bytes());
                out.extend_from_slice(&(packed.len() as u32).to_le_bytes());
                out.extend_from_slice(&(e.data.len() as u32).to_le_bytes());
            }
        }
        central.extend_from_slice(b"PK\x01\x02\x14\x00\x14\x00");
        central.extend_from_slice(&flags.to_le_bytes());
        central.extend_from_slice(&e.method.to_le_bytes());
        central.extend_from_slice(&[0, 0, 0x21, 0x00]);
        central.extend_from_slice(&crc.to_le_bytes());
        central.extend_from_slice(&(packed.len() as u32).to_le_bytes());
        central.extend_from_slice(&(e.data.len() as u32).to_le_bytes());
        central.extend_from_slice(&(e.name.len() as u16).to_le_bytes());
        central.extend_from_slice(&[0; 12]);
        central.extend_from_slice(&offset.to_le_bytes());
        central.extend_from_slice(&e.name);
    }
    let at = out.len() as u32;
    out.extend_from_slice(&central);
    out.extend_from_slice(b"PK\x05\x06\x00\x00\x00\x00");
    out.extend_from_slice(&(entries.len() as u16).to_le_bytes());
    out.extend_from_slice(&(entries.len() as u16).to_le_bytes());
    out.extend_from_slice(&(central.len() as u32).to_le_bytes());
    out.extend_from_slice(&at.to_le_bytes());
    out.extend_from_slice(&[0, 0]);
    out
}

/// `data` deflated alone in an archive as `name`.
pub fn one(name: &str, data: &[u8]) -> Vec<u8> {
    archive(&[Entry::deflated(name, data)])
}
