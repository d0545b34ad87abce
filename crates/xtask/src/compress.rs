//! Precompressed copies beside each shipped file: `FILE.br` (brotli, quality 11) and
//! `FILE.gz` (gzip, level 9), for servers that send them as they are (nginx's
//! `brotli_static`/`gzip_static`, Caddy's `precompressed`) instead of compressing each
//! response quickly and worse. The size report reads them too.

use anyhow::{Context, Result};
use std::io::Write;
use std::path::{Path, PathBuf};

pub fn brotli(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let params = brotli::enc::BrotliEncoderParams {
        quality: 11,
        lgwin: 22,
        ..Default::default()
    };
    brotli::BrotliCompress(&mut &bytes[..], &mut out, &params).expect("compressing to memory");
    out
}

pub fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    enc.write_all(bytes).expect("compressing to memory");
    enc.finish().expect("compressing to memory")
}

/// `path` with `.br` or `.gz` added.
pub fn beside(path: &Path, ext: &str) -> PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push(".");
    s.push(ext);
    PathBuf::from(s)
}

/// Writes `FILE.br` and `FILE.gz` for each file, the files spread over the cores.
pub fn write_beside(files: &[PathBuf]) -> Result<()> {
    crate::parallel::map(files, |path| {
        let bytes = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
        for (ext, packed) in [("br", brotli(&bytes)), ("gz", gzip(&bytes))] {
            let to = beside(path, ext);
            std::fs::write(&to, packed).with_context(|| format!("writing {}", to.display()))?;
        }
        Ok(())
    })?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    #[test]
    fn both_round_trip_and_shrink_text() {
        let text = "hookscope ".repeat(1000);
        let br = brotli(text.as_bytes());
        let gz = gzip(text.as_bytes());
        assert!(
            br.len() < 100 && gz.len() < 200,
            "{} {}",
            br.len(),
            gz.len()
        );
        let mut back = Vec::new();
        brotli::BrotliDecompress(&mut &br[..], &mut back).unwrap();
        assert_eq!(back, text.as_bytes());
        let mut back = String::new();
        flate2::read::GzDecoder::new(&gz[..])
            .read_to_string(&mut back)
            .unwrap();
        assert_eq!(back, text);
    }

    #[test]
    fn files_beside() {
        let dir = std::env::temp_dir().join(format!("xtask-compress-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("a-0123456789abcdef.js");
        std::fs::write(&file, "console.log(1);".repeat(50)).unwrap();
        write_beside(std::slice::from_ref(&file)).unwrap();
        assert!(beside(&file, "br").exists() && beside(&file, "gz").exists());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
