// The benchmark's yardstick: the least an Express endpoint that stores a request can do (read
// the body, insert one row, answer). Started by intake.bench.ts in its own process.
import express from 'express'
import pg from 'pg'

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 })
const app = express()
app.get('/healthz', (_req, res) => res.json({ status: 'ok' }))
app.post('/insert', express.text({ type: () => true }), async (req, res) => {
  const { rows } = await pool.query<{ id: string }>('INSERT INTO bench_row (body) VALUES ($1) RETURNING id', [String(req.body)])
  res.type('text/xml').send(`<ok>${rows[0]!.id}</ok>`)
})
app.listen(Number(process.env.PORT), '127.0.0.1')
